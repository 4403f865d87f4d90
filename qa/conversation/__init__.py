"""4. The chat: its turns (`turns`), which follow-ups are resolved against, and past conversations
kept in SQLite (`history`)."""
