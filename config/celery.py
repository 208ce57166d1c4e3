import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger
from django.core.cache import cache

from config.log_filters import MaskTokens

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("intercluster")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def mask_tokens_in_worker_logs(logger, **kwargs) -> None:
    """A worker logs through Celery's own handlers, not LOGGING's: mask tokens there too."""
    for handler in logger.handlers:
        handler.addFilter(MaskTokens())


@app.task(name="intercluster.ping")
def ping(token: str) -> str:
    """Health probe: a worker that runs it leaves ``ping:<token>`` = its pid in the cache.

    ``python manage.py shell -c "from config.celery import ping; ping.delay('x')"``
    then look for the key: proves broker, worker and cache are wired together.
    """
    cache.set(f"ping:{token}", os.getpid(), timeout=300)
    return token
