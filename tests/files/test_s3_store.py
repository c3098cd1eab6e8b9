"""The file store on S3-compatible object storage (QLVB_STORAGE=s3), against moto's S3 server on
loopback: objects at `ab/cd/<sha256>`, written once, hashed on every read, streamed through the app
(never a presigned link), in backups and restores, pruned only when old and unreferenced."""

import hashlib

import boto3
import pytest
from django.core.management import call_command
from django.urls import reverse
from storages.backends.s3 import S3Storage

from qlvb.audit.models import AccessLog, AuditEntry
from qlvb.backup.services import create_backup, restore_backup, verify_archive
from qlvb.files.backends import key_for
from qlvb.files.storage import verify
from tests.factories import pdf_bytes, pdf_upload, register_doc

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def bucket(s3_store, moto_endpoint):
    return boto3.resource("s3", endpoint_url=moto_endpoint, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1").Bucket(s3_store)


def _objects(bucket) -> dict[str, bytes]:
    return {o.key: o.get()["Body"].read() for o in bucket.objects.all()}


def _attachment_url(document):
    return reverse("incoming:attachment", args=[document.pk, document.attachments.get().pk])


def test_a_registered_file_is_an_object_named_by_its_hash_and_served_through_the_app(client, demo, bucket):
    big = pdf_bytes(pages=400)  # past the fixture's 64 KB spool: copied to disk, streamed in blocks
    document = register_doc(demo.vanthu, files=[pdf_upload(pages=400)])
    sha = hashlib.sha256(big).hexdigest()
    assert _objects(bucket) == {f"{sha[:2]}/{sha[2:4]}/{sha}": big}
    client.force_login(demo.giamdoc)
    response = client.get(_attachment_url(document))
    assert response.status_code == 200 and response.streaming  # the app's own response, not a redirect
    assert int(response["Content-Length"]) == len(big) and b"".join(response.streaming_content) == big
    assert AccessLog.objects.filter(person=demo.giamdoc, blob_id=sha).exists()


def test_an_existing_object_is_not_written_again(demo, bucket, monkeypatch):
    saves = []
    original = S3Storage.save
    monkeypatch.setattr(S3Storage, "save", lambda self, name, content, **kw: saves.append(name)
                        or original(self, name, content, **kw))
    register_doc(demo.vanthu)
    register_doc(demo.vanthu, files=[pdf_upload(), pdf_upload()])
    assert saves == [key_for(hashlib.sha256(pdf_bytes()).hexdigest())] and len(_objects(bucket)) == 1


@pytest.mark.parametrize("damage", [
    lambda obj: obj.put(Body=obj.get()["Body"].read().replace(b"%%EOF", b"%%EOX")),
    lambda obj: obj.delete(),
], ids=["changed", "missing"])
def test_a_changed_or_missing_object_is_refused_like_a_local_file(client, demo, bucket, damage):
    document = register_doc(demo.vanthu)
    damage(next(iter(bucket.objects.all())).Object())
    client.force_login(demo.giamdoc)
    response = client.get(_attachment_url(document), follow=True)
    assert response.redirect_chain and "đã bị thay đổi hoặc hỏng" in response.content.decode()
    assert AuditEntry.objects.filter(action="files.corrupted", object_id=str(document.pk)).exists()
    assert not AccessLog.objects.filter(person=demo.giamdoc, blob__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_carry_the_objects(demo, bucket, settings, tmp_path):
    settings.QLVB_BACKUP_DIR = tmp_path / "backups"
    document = register_doc(demo.vanthu)
    blob = document.attachments.get().blob
    archive = create_backup()
    assert [f["path"] for f in verify_archive(archive)["files"]] == [key_for(blob.sha256)]
    bucket.objects.all().delete()
    bucket.put_object(Key="ab/cd/" + "ab" + "cd" + "0" * 60, Body=b"not in the archive")
    restore_backup(archive, replace=True)
    assert list(_objects(bucket)) == [key_for(blob.sha256)]
    verify(blob)


def test_prune_removes_only_old_unreferenced_objects(demo, bucket):
    register_doc(demo.vanthu)
    kept = key_for(hashlib.sha256(pdf_bytes()).hexdigest())
    orphan = key_for(hashlib.sha256(b"orphan").hexdigest())
    bucket.put_object(Key=orphan, Body=b"orphan")
    call_command("verify_files", "--prune")  # too young: may belong to a registration still committing
    assert set(_objects(bucket)) == {kept, orphan}
    call_command("verify_files", "--prune", "--grace-minutes=-1")
    assert set(_objects(bucket)) == {kept}


def test_health_check_reaches_the_bucket(client, db, s3_store, settings):
    assert client.get("/healthz").json()["checks"]["storage"] == {"ok": True, "detail": "s3"}
    settings.STORAGES = {**settings.STORAGES, "qlvb_files": {**settings.STORAGES["qlvb_files"], "OPTIONS": {
        **settings.STORAGES["qlvb_files"]["OPTIONS"], "bucket_name": "no-such-bucket"}}}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["storage"]["ok"] is False
