"""Gradient-boosted trees for the fitted models of `qa.answer` (`bench/train_answer_scorer.py`): fitted with
LightGBM, exported as the flat node tables `qa.answer.trees.Trees` walks with numpy, and checked to give
LightGBM's own probabilities.
"""

from __future__ import annotations

import numpy as np

LEARNING_RATE = 0.05


def with_gaps(x: np.ndarray, questions) -> np.ndarray:
    """`qa.answer.trees.with_gaps` over a whole pool, question by question: the columns asking builds."""
    from qa.answer import trees

    out = np.hstack([x, x])
    questions = np.asarray(questions)
    for q in dict.fromkeys(questions.tolist()):
        rows = questions == q
        out[rows] = trees.with_gaps(x[rows])
    return out


def gbm(leaves: int, trees: int, min_child: int):
    import lightgbm

    return lightgbm.LGBMClassifier(objective="binary", learning_rate=LEARNING_RATE, num_leaves=leaves,
                                   n_estimators=trees, min_child_samples=min_child, random_state=0, n_jobs=1,
                                   deterministic=True, verbose=-1)


def tables(model, x: np.ndarray) -> dict:
    """A fitted LGBMClassifier's trees as node tables; raises when they do not give its probabilities on `x`."""
    from qa.answer.trees import Trees

    flat = []
    for t in model.booster_.dump_model()["tree_info"]:
        nodes: list[dict] = []

        def add(n: dict) -> int:
            i = len(nodes)
            nodes.append({})
            if "split_feature" not in n:
                nodes[i] = {"feature": -1, "threshold": 0.0, "left": i, "right": i,
                            "value": float(n.get("leaf_value", 0.0)), "depth": 0}
                return i
            if n["decision_type"] != "<=":
                raise ValueError(f"unsupported split {n['decision_type']}")
            left, right = add(n["left_child"]), add(n["right_child"])
            nodes[i] = {"feature": int(n["split_feature"]), "threshold": float(n["threshold"]), "left": left,
                        "right": right, "value": 0.0, "depth": 1 + max(nodes[left]["depth"], nodes[right]["depth"])}
            return i

        add(t["tree_structure"])
        flat.append(nodes)
    width = max(len(n) for n in flat)
    pad = {"feature": -1, "threshold": 0.0, "left": 0, "right": 0, "value": 0.0}
    table = {key: [[n[key] for n in nodes] + [pad[key]] * (width - len(nodes)) for nodes in flat] for key in pad}
    table["depth"] = max(nodes[0]["depth"] for nodes in flat)
    drift = float(np.abs(Trees.from_json(table).probabilities(x) - model.predict_proba(x)[:, 1]).max())
    if drift > 1e-9:
        raise SystemExit(f"the exported trees differ from LightGBM's by {drift}")
    return table
