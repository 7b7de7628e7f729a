"""The deployment recipe (nginx, systemd, the settings) and run_local.py, which runs it locally."""
