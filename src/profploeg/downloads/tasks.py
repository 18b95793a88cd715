from django_tasks import task


@task()
def make_download(download_id: int) -> bool:
    """Make a download's file in the background (see services.run_download)."""
    from .services import run_download

    return run_download(download_id)
