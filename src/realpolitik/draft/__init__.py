"""Draft a scenario from articles, offline: actors, evidence, proxies — judgement left to you.

``realpolitik draft ARTICLE... --issues ISSUES.yaml --year YYYY -o draft.yaml`` reads the
articles (:mod:`.text`), splits and parses them with spaCy's small English pipeline installed
as a package (:mod:`.nlp`), resolves mentions to actors (:mod:`.actors`, :mod:`.gazetteer`),
ranks the sentences tying each actor to each issue (:mod:`.evidence`), proposes capability and
salience proxies (:mod:`.estimate`), optionally asks a local language model for positions
(:mod:`.llm`), and assembles a scenario that validates (:mod:`.build`), every value marked
``draft: true`` with its source, quote and method. :mod:`.evaluate` scores a draft against a
key. This package imports only :mod:`realpolitik.scenario` and :mod:`realpolitik.data`.
"""
