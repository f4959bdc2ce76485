# No models here. The module exists because Django sends post_migrate only to apps with a
# models module, and this app listens for it to keep the role groups (see apps.py).
