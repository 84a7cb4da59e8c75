"""Summarise an annotation output's linked mentions (the defence-ner-summarise command, for project.yml)."""

from defence_ner.annotation.summary_cli import app

if __name__ == "__main__":
    app()
