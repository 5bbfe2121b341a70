# --- Briefings (簡報) and wall boards (版報) ---
import publicity.briefings.wagtail_hooks  # noqa: F401
