"""The REST API of the case platform (django-ninja); see :mod:`gongkai.api.api`."""
