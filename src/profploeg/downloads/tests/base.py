"""What the download tests share: two applications in the report, a frozen clock (so that two
renderings of one file are byte for byte the same) and a helper that runs the queued task."""

import datetime
import io
import zipfile

import time_machine

from profploeg.lib.dates import at_brussels
from profploeg.test import BaseTestCase

NOW = at_brussels(datetime.date(2022, 1, 31))


class DownloadTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        self.submit(self.lier, day=datetime.date(2021, 8, 1))
        self.submit(self.brugge, day=datetime.date(2021, 9, 1))


def contents(file: bytes) -> bytes | dict[str, bytes]:
    """What a file holds: a ZIP package (XLSX, DOCX) as its members, since openpyxl stamps each
    sheet's member with the real time its temporary file was written (the frozen clock does not
    reach the file system); anything else as its bytes."""
    if not file.startswith(b"PK"):
        return file
    with zipfile.ZipFile(io.BytesIO(file)) as package:
        return {name: package.read(name) for name in package.namelist()}
