"""Optional: a language model writes the answer, and Byline verifies every sentence before it is shown.

Nothing here is imported unless an `[llm]` table or an `--llm URL` asks for it. The pipeline:
`settings` (where the model is, read from the config file and flags) → `prompt` (numbered passages
with outlet and date, the conversation so far, `prompt.md`) → `client` (any OpenAI-compatible
`/chat/completions`, streamed, over httpx, to the configured URL only) → `sentences` (the reply cut
into sentences with their `[n]` markers, control characters removed) → `verify` (names, figures,
dates, quoted words and negation checked against the cited passage, and a support score) →
`writer` (the verified sentences become an `Answer`; on any failure the extractive answer, with a
one-line note).
"""
