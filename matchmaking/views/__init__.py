"""The participants' B2B pages: ``access`` (who may open them), ``directory`` (the
directory, a profile and the marketplace), ``profile`` (the person's own profile and
entries) and ``meetings`` (their requests and meetings)."""
