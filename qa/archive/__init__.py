"""The index as the callers of `qa` (CLI, chat app, eval) see it, so that they never import `index`:
building and administering it (`admin`), what it holds (`overview`), how an article is named and
cited (`naming`, `location`), dates as users type them (`dates`), and untrusted text made harmless
(`untrusted`)."""
