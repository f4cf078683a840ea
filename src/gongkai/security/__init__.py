"""Protection of stored data, used by every app and so kept below them all: encryption of
applicants' identity data at rest and its keys (:mod:`.crypto`, :mod:`.keychecks`), the
modes of the files that hold secrets (:mod:`.fileperms`) and the checks every uploaded file
passes (:mod:`.uploads`). Nothing here imports an app of the platform.
"""
