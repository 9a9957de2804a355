"""Entry point: `flask --app wsgi …` and `gunicorn wsgi:app`."""
from books2iraq import create_app

app = create_app()
