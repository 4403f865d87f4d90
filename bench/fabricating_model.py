"""python -m bench.fabricating_model [--port N]: a stand-in "model" on 127.0.0.1 that answers every
question from its own prompt the way a careless small model does, to measure what verification lets
through with `byline eval --llm http://127.0.0.1:N/v1`.

For each request it writes four sentences from the first passage's first two sentences: one copied
with its [n] (supported), the same with a figure changed, with a name swapped for one from another
passage, and one with no marker. Deterministic: the same prompt gives the same reply.
"""

from __future__ import annotations

import argparse
import re
import threading


def fabricate(body: dict) -> str:
    user = body["messages"][-1]["content"]
    blocks = re.findall(r"^\[(\d+)\] [^\n]*\n([^\n]+)", user, re.M)
    if not blocks:
        return "NOT IN THE PASSAGES"
    number, text = blocks[0]
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)
    first = max(sentences[:3], key=len).rstrip(".")
    out = [f"{first} [{number}]."]
    figure = re.search(r"\d[\d,]*", first)
    if figure:
        out.append(f"{first[:figure.start()]}{int(figure.group().replace(',', '') or 0) * 3 + 7:,}"
                   f"{first[figure.end():]} [{number}].")
    names = re.findall(r"\b[A-Z][a-z]{3,}\b", first)
    others = [n for _, t in blocks[1:] for n in re.findall(r"\b[A-Z][a-z]{3,}\b", t) if n not in text]
    if names and others:
        out.append(first.replace(names[-1], others[0], 1) + f" [{number}].")
    out.append("Experts agree this changes everything.")
    return " ".join(out)


def main() -> None:
    from tests.llm_server import ScriptedServer

    p = argparse.ArgumentParser(prog="python -m bench.fabricating_model")
    p.parse_args()
    with ScriptedServer() as server:
        server.script.respond = fabricate
        server.script.model = "fabricating-stand-in"
        print(server.url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
