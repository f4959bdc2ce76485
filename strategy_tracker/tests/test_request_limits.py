"""A body larger than anything the app accepts is refused before any of it is read, and an
upload it does accept is held in memory, never written to one server's disk."""

import io
from unittest import mock

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client
from django.urls import reverse

from objectives.models import Organisation

BOUNDARY = "----strategy-tracker-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
MB = 1024 * 1024


def _multipart(fields: dict[str, str], file_bytes: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="figures.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + file_bytes
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def spooled():
    """Records every uploaded file written to a temporary file on this server's disk."""
    real = TemporaryFileUploadHandler.new_file
    with mock.patch.object(
        TemporaryFileUploadHandler, "new_file", autospec=True, side_effect=real
    ) as spy:
        yield spy


@pytest.mark.django_db
def test_a_body_larger_than_the_app_accepts_is_refused_before_it_is_read(spooled, settings):
    # An outsider with only the public CSRF cookie, as in the attack: the CSRF check reads
    # request.POST, so without the limit the file was parsed and spooled before the sign-in
    # redirect.
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    body = _multipart(
        {"csrfmiddlewaretoken": token}, b"x" * (settings.MEASURE_IMPORT_MAX_BYTES + 2 * MB)
    )

    response = client.generic("POST", reverse("measures:import_start"), body, MULTIPART)

    assert response.status_code == 413
    assert "A CSV file of figures can be at most 10 MB" in response.content.decode()
    assert not spooled.called


def test_the_refusal_has_the_site_layout_and_needs_no_database(client):
    # No django_db mark: any query here fails the test. The declared length alone is
    # refused; the test client would fail loudly if anything tried to read that much.
    response = client.generic(
        "POST",
        reverse("login"),
        b"x",
        "application/octet-stream",
        CONTENT_LENGTH=str(300 * MB),
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert '<a class="brand"' in page
    assert "What you sent is too large" in page
    assert "Nothing you sent was read or saved" in page


def test_the_refusal_gives_the_limit_of_each_kind_of_upload(client, settings):
    """It gave only the figures CSV's limit: someone refused for a strategy workbook, whose
    limit is set apart (WORKBOOK_MAX_BYTES), read a limit that was not theirs."""
    settings.MEASURE_IMPORT_MAX_BYTES = 4 * 1_000_000
    settings.WORKBOOK_MAX_BYTES = 20 * 1_000_000
    settings.REQUEST_MAX_BYTES = 21 * MB
    page = client.generic(
        "POST", reverse("login"), b"x", "application/octet-stream", CONTENT_LENGTH=str(300 * MB)
    ).content.decode()

    assert "A CSV file of figures can be at most 4 MB" in page
    assert "a strategy workbook or CSV at most 20 MB" in page


@pytest.mark.django_db
def test_a_file_as_large_as_the_import_allows_is_held_in_memory_not_written_to_disk(
    client, admin_user, spooled, settings
):
    Organisation.objects.create(name="Trust")  # an organisation they are an Admin of
    client.force_login(admin_user)
    # The largest file allowed; its header is wrong, so the view refuses it at once, after
    # Django has parsed the whole upload.
    data = b"not,the,header\n" + b"x" * (settings.MEASURE_IMPORT_MAX_BYTES - 15)
    body = _multipart({}, data)

    response = client.generic("POST", reverse("measures:import_start"), body, MULTIPART)

    assert response.status_code == 400
    assert "The header row is missing" in response.content.decode()
    assert not spooled.called


def test_a_body_sent_without_a_length_is_not_read_at_all():
    """A chunked body reaches Django without CONTENT_LENGTH, and Django reads none of it, so
    checking the declared length caps every body the app reads."""
    body = _multipart({"note": "sent chunked"}, b"x" * MB)
    stream = io.BytesIO(body)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/measures/import/",
            "CONTENT_TYPE": MULTIPART,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "wsgi.input": stream,
        }
    )

    assert not request.POST
    assert not request.FILES
    assert stream.tell() == 0


@pytest.mark.django_db
def test_a_form_with_more_text_than_the_site_takes_gets_a_page_that_says_so(client, programme_lead):
    """Between the form limit (2.5 MB) and the request limit, a post met Django's bare
    "Bad Request (400)" page, unstyled and saying nothing of why."""
    client.force_login(programme_lead)
    response = client.post(reverse("password_change"), {"old_password": "x" * 3 * MB})
    assert response.status_code == 400
    page = response.content.decode()
    assert "What you sent could not be read" in page and "shorten the longest text" in page
