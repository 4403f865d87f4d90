"""A cold ask that parses its question ("Who is Russia's foreign minister?") imports spaCy without
torch (index.ingest.annotate.import_model): thinc would import it, about 1 s, for layers the
pipeline does not have. torch still imports afterwards, and in another thread meanwhile."""

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys, threading
from qa.question.parse import parse
doc = parse("Who is Russia's foreign minister?")
print("parsed", [t.dep_ for t in doc][5], "torch" in sys.modules)
import torch
print("torch after", bool(torch.tensor([1.0]).sum()))
"""

RACE = """
import threading
got = {}
def other():
    import torch
    got["torch"] = torch.__version__
thread = threading.Thread(target=other)
thread.start()
from index.ingest.annotate import import_model
import_model()
thread.join()
print("other thread", "torch" in got)
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_question_is_parsed_without_importing_torch_and_torch_still_imports_after():
    assert _run(PROBE).splitlines() == ["parsed nsubj False", "torch after True"]


def test_another_thread_imports_torch_while_spacy_is_imported():
    assert _run(RACE).strip() == "other thread True"
