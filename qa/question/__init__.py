"""1. The question, read once: its words, outlets and dates (`query`), the kind of answer it asks
for (`asked`), its dependency parse (`parse`) and the slot, predicate and role read from it
(`structure`), misspellings corrected against the index (`spelling`), and a follow-up resolved
against the earlier turns (`followup`)."""
