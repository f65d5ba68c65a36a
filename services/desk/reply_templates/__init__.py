"""Reply templates: texts per language that administrators keep and managers start their
replies from, with the case's details filled in."""
