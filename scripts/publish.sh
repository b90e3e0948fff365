#!/usr/bin/env bash
# Publish what is in documents/: build, validate, and commit the regenerated data packages.
#
#   . .venv/bin/activate && scripts/publish.sh
#
# 1. python -m generator build --strict: parses documents/ (reusing .cache/parsed/), refuses
#    to drop a published URL, writes datapackages/ and runs `mkdocs build --strict` into site/,
#    both swapped in only when complete; build/report.json and build/status.json describe it;
# 2. validates every package in datapackages/ with the `frictionless validate` CLI;
# 3. when datapackages/ or documents/ changed, commits both, with a message listing the
#    documents added, changed and removed. Never pushes (the workflow does).
# Assumes the virtual environment is active. Extra arguments go to the build (e.g. --jobs 4,
# --allow-removal). In GitHub Actions the per-document status also goes to the job summary.
set -euo pipefail

cd "$(dirname "$0")/.."

python -m generator build --strict "$@"

echo "validating $(ls -d datapackages/*/ | wc -l) packages with frictionless" >&2
# one package per process (frictionless would merge several sources into one package)
ls datapackages/*/datapackage.json | xargs -P "$(nproc)" -I{} sh -c \
  'out=$(frictionless validate "$1" 2>&1) || { echo "invalid: $1" >&2; echo "$out" >&2; exit 255; }' _ {}

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f build/report.json ]; then
  python - build/report.json >> "$GITHUB_STEP_SUMMARY" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
s = report["summary"]
print(f"### Build: {s['documents']} documents, {s['parsed']} parsed, {s['reused']} reused, "
      f"{s['failed']} failed; {s['checks_failed']} of {s['checks']} checks failed\n")
print("| document | files | status | pages | tables | checks failed | seconds |")
print("|---|---|---|---|---|---|---|")
for d in report["documents"]:
    print(f"| {d['document_id'] or '—'} | {' + '.join(d['source_files'])} | {d['status']} "
          f"| {d['pages'] or ''} | {d['tables']} | {d['checks_failed']}/{d['checks']} "
          f"| {d['seconds']} |")
EOF
fi

if [ -z "$(git status --porcelain --untracked-files=all -- datapackages documents)" ]; then
  echo "datapackages/ unchanged: nothing to commit" >&2
  exit 0
fi

git add -A -- datapackages documents
message=$(python - <<'EOF'
import csv, subprocess
# staged changes of the package folders: A(dded) / M(odified) / D(eleted) per document id
out = subprocess.run(["git", "diff", "--cached", "--name-status", "--no-renames", "--",
                      "datapackages", "documents"], capture_output=True, text=True, check=True).stdout
kinds = {"added": set(), "changed": set(), "removed": set()}
packages = {}
sources = []
for line in out.splitlines():
    status, path = line.split("\t", 1)
    parts = path.split("/")
    if parts[0] == "documents":
        sources.append(f"{status} {parts[-1]}")
    elif len(parts) > 2 and parts[1] != "all":
        packages.setdefault(parts[1], set()).add(status[0])
for doc, statuses in packages.items():
    kinds["added" if statuses == {"A"} else "removed" if statuses == {"D"} else "changed"].add(doc)
files = {}
try:
    with open("datapackages/all/documents.csv", encoding="utf-8", newline="") as f:
        files = {r["document_id"]: r["source_files"].replace(";", " + ") for r in csv.DictReader(f)}
except FileNotFoundError:
    pass
counts = ", ".join(f"{len(v)} {k}" for k, v in kinds.items() if v) or "combined package only"
print(f"Publish documents: {counts}\n")
for kind, docs in kinds.items():
    for doc in sorted(docs):
        print(f"{kind}: {doc}" + (f" ({files[doc]})" if doc in files else ""))
if sources:
    print("\nsource files: " + ", ".join(sources))
EOF
)

if [ -z "$(git config user.email || true)" ]; then
  export GIT_AUTHOR_NAME="github-actions[bot]" GIT_COMMITTER_NAME="github-actions[bot]"
  export GIT_AUTHOR_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"
  export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
fi
git commit --quiet -m "$message" -- datapackages documents
echo "committed: $(git log -1 --format=%s)" >&2
