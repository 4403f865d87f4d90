"""The vocabulary questions and sentences are both read with: words, stems and stop words (`words`),
verb forms (`verbs`), proper names and parties (`names`), and countries from one gazetteer
(`places`)."""
