from django_tasks import task


@task()
def follow_remote_signature(*, request_id: int, poll: int = 0) -> None:
    """Poll a remote signature asked for at "Duyệt ký" until the signer confirms, refuses or the time runs
    out, then approve the draft or tell the signer (`signature.follow`). Safe to run twice."""
    from .signature import follow

    follow(request_id, poll)
