"""Gold vs predicted event records -> scores, reports and an accuracy gate (docs/evaluation.md).

In pipeline order: :mod:`~pipeline.evaluation.load` reads gold and prediction files
(or :mod:`~pipeline.evaluation.predict` runs the pipeline on the gold texts),
:mod:`~pipeline.evaluation.matching` pairs mentions one-to-one,
:mod:`~pipeline.evaluation.metrics` scores every document and aggregates (with
:mod:`~pipeline.evaluation.bootstrap` intervals) into the types of
:mod:`~pipeline.evaluation.results`, :mod:`~pipeline.evaluation.report` renders Markdown
and JSON (HTML: :mod:`pipeline.views.evaluation`), and :mod:`~pipeline.evaluation.floors`
gates accuracy against pinned floors. ``newsevents evaluate`` is :mod:`pipeline.cli.evaluate`.
"""
