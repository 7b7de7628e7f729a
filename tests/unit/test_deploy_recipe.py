"""The deployment recipe (deploy/) agrees with the code: every setting is in the settings file,
nginx takes uploads as large as the app does, and nginx accepts both configurations."""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from deploy.run_local import ENV_FILE, NGINX_DIR, find_nginx, nginx_config, streamlit_settings
from forumdash.importers.sniff import MAX_MEGABYTES
from forumdash.settings import Settings
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]


def _nginx() -> str:
    found = find_nginx()
    if found is None:
        skip_or_fail("nginx not found (Debian package 'nginx')")
    assert found is not None
    return found


def test_the_settings_file_names_every_setting() -> None:
    # Named, or shown commented out with an example value.
    text = ENV_FILE.read_text()
    names = re.findall(r"^(?:# )?(FORUMDASH_[A-Z_]+)=", text, flags=re.MULTILINE)
    expected = {f"FORUMDASH_{field.upper()}" for field in Settings.model_fields}
    assert set(names) == expected
    # Behind nginx, one proxy writes X-Forwarded-For: the file must not leave it at 0.
    assert "FORUMDASH_TRUSTED_PROXIES=1" in text.splitlines()


def test_streamlit_keeps_its_protections_behind_the_proxy() -> None:
    settings = streamlit_settings()
    assert settings["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] == "true"
    assert settings["STREAMLIT_SERVER_ENABLE_CORS"] == "true"
    assert settings["STREAMLIT_SERVER_HEADLESS"] == "true"
    # run_local makes a cookie secret up; the file's placeholder never runs.
    assert len(settings["STREAMLIT_SERVER_COOKIE_SECRET"]) == 64


def test_no_process_watches_its_source_files() -> None:
    # A file watcher costs every new tab about 0.9 s of CPU (bench/README.md): off for the
    # README's own command (the app's config.toml) and for the recipe's processes.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
    assert streamlit_settings()["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] == "none"


def test_nginx_takes_uploads_as_large_as_the_imports() -> None:
    proxy = (NGINX_DIR / "forumdash-proxy.conf").read_text()
    (size,) = re.findall(r"^client_max_body_size (\d+)m;", proxy, flags=re.MULTILINE)
    # The largest file plus its multipart envelope, and no more.
    assert int(size) == MAX_MEGABYTES + 1


def test_nginx_accepts_the_local_configuration(tmp_path: Path) -> None:
    nginx = _nginx()
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config(tmp_path, 8631, [8632, 8633]))
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(config), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "hash $forumdash_route consistent;" in config.read_text()


def test_nginx_accepts_the_real_site(tmp_path: Path) -> None:
    """forumdash.conf as the README installs it, with a throwaway certificate in place of the
    real one and the snippets read from deploy/nginx/."""
    nginx = _nginx()
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl not found: no certificate to test the TLS server with")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=t"],
        check=True,
        capture_output=True,
    )
    site = (NGINX_DIR / "forumdash.conf").read_text()
    site = site.replace("/etc/nginx/snippets/", f"{NGINX_DIR}/")
    site = re.sub(r"ssl_certificate /\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key /\S+;", f"ssl_certificate_key {key};", site)
    assert str(cert) in site and str(key) in site
    (tmp_path / "site.conf").write_text(site)
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path / 'site.conf'};\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(config), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
