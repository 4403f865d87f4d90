"""1. The question, read once: its words, outlets and dates (`query`), the kind of answer it asks
for (`asked`), its dependency parse (`parse`) and the role a "Who is X's minister?" question asks to fill
(`structure`), misspellings corrected against the index (`spelling`), and a follow-up resolved
against the earlier turns (`followup`)."""
