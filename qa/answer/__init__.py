"""3. The answer, from the retrieved passages: how each sentence reads (`reading`, `attribution`,
`describe`, `counted`), the question's constraints checked on it (`constraints`), the candidate
short answers (`short_answer`, `phrasing`, `candidates`) and the fitted model that scores them and
abstains (`scorer`), the cited answer composed (`compose`, `tidy`); polar, comparison and time
questions get a verdict (`verdict`), and an optional language model may write the answer
(`generate`)."""
