"""Files in, articles out: walking folders, reading and decoding files (text, HTML, JSON/JSONL), cleaning,
metadata (dates, outlets, authors), sentences, named entities and windows (`prepare`), and near-duplicate
detection. Knows nothing of where articles are stored: it never imports `index.embedded` or `index.qdrant`."""
