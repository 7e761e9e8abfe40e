FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 ONESTOP_ENV=production
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs settings that pass the production guard; this key is used for nothing else.
RUN SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdefghij DEBUG=false \
    python manage.py collectstatic --noinput

RUN useradd --create-home onestop && mkdir -p /app/var && chown -R onestop /app/var
USER onestop

EXPOSE 8000
CMD ["gunicorn", "onestop.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
