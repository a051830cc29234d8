"""Tests of rcphub.documents.parsing: readers, language id, structure parser."""
