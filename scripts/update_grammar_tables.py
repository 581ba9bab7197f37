"""Regenerate bilstm_dsl/_grammar_tables.json after editing grammar/arch.lark."""

import json

from bilstm_dsl.lark_tables import TABLES, build_tables, grammar_path

tables = build_tables(grammar_path().read_text(encoding="utf-8"))
with open(TABLES, "w", encoding="utf-8") as out:
    out.write(json.dumps(tables, sort_keys=True, separators=(",", ":")) + "\n")
print(f"wrote {TABLES}")
