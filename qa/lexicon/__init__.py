"""The vocabulary questions and sentences are both read with: words, stop words (spaCy's), stems,
negation, auxiliaries, months and weekdays (`words`), verb forms and reported-speech verbs (`verbs`),
proper names, parties and genders (`names`), one table of titles and roles (`titles`), and countries
from one gazetteer (`places`)."""
