"""Yes, no, and when: polar, comparison and time questions answered with a verdict.

`form` reads a question's form and breaks it into claims (each with its outlet, date and words);
`judge` scores a claim against its passages and combines the claims into Yes / No / don't-say with
models fitted on data (`model.json`, fitted by `eval/train_verdict.py`); `answer` retrieves each claim's
passages under its outlet and date and composes the `Answer`.
"""
