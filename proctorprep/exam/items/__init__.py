"""One module per question type: how a bank states it (build), how it is written back (to_json), what a response
looks like (normalize, is_complete) and what it earns (credit). The descriptors that bind them are in
exam/question_types.py."""
