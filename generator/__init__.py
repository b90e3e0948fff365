"""Open data from Chinese public budget disclosures (部门预算 / 单位预算 / 部门决算).

The pipeline runs one way, one module per stage:
ingest → recognize → verify → package → publish (see ``generator.pipeline``).
"""
__version__ = "0.1.0"
