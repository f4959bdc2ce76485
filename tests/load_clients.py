"""HTTP clients for tests/test_load.py, run in separate processes. No Django here: a
spawned process imports this module fresh, without Django set up."""

import http.client
import re
import urllib.parse

PORT = 8799
SAVES_PER_LEAD = 12
READS = 150


def _request(method: str, path: str, cookie: str, body: str = "") -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{PORT}{path}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode()
    csrf = next(
        (
            v
            for k, v in response.getheaders()
            if k.lower() == "set-cookie" and v.startswith("csrftoken=")
        ),
        "",
    )
    conn.close()
    return response.status, text, csrf.split(";")[0]


def lead_saves(args) -> dict:
    """One lead's process: read the form, save, and on a conflict read again and resave."""
    cookie, urls, name, together = args
    saved, conflicts, errors, statuses = 0, 0, 0, []
    for n in range(SAVES_PER_LEAD):
        url = urls[n % len(urls)]
        first_try = True
        while True:
            status, page, csrf = _request("GET", url, cookie)
            if status != 200:
                errors += 1
                statuses.append(("GET", status))
                break
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            version = re.search(r'name="version" value="(\d+)"', page).group(1)
            if n == 0 and first_try:
                # Every lead has read the same version before any saves: all but one must
                # meet a conflict, so the test knows the conflict path ran under load.
                together.wait(timeout=60)
            first_try = False
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "version": version,
                    "status": "on_track",
                    "commentary": f"{name} save {n}",
                    "forecast_date": "",
                }
            )
            status, _, _ = _request(
                "POST", url + "update/", f"{cookie}; {csrf}" if csrf else cookie, body
            )
            if status == 302:
                saved += 1
                break
            if status == 409:
                conflicts += 1
                continue
            errors += 1
            statuses.append(("POST", status))
            break
    return {"saved": saved, "conflicts": conflicts, "errors": errors, "failed": statuses[:3]}


def board_reads(args) -> dict:
    cookie, url = args
    errors = sum(_request("GET", url, cookie)[0] != 200 for _ in range(READS))
    return {"reads": READS, "errors": errors}
