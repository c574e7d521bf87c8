"""From mentions to events: within-document coreference, cross-document linking, person timelines.

In pipeline order: :mod:`~pipeline.events.coref` groups the mention records of one
document that denote one real-world event and :mod:`~pipeline.events.merge` builds a
:class:`~pipeline.records.DocumentEvent` from each group;
:mod:`~pipeline.events.linking` links the document events of different documents into
:class:`~pipeline.records.LinkedEvent` clusters under the name keys of
:mod:`~pipeline.events.names`; :mod:`~pipeline.events.timelines` turns them into one
timeline per person. Nothing here imports spaCy.
"""
