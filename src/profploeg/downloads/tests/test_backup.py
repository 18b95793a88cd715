import json
import shutil
import tempfile
from pathlib import Path

from profploeg.downloads import services
from profploeg.operations.backup import DATA, MEDIA, back_up

from .base import DownloadTestCase


class BackupTests(DownloadTestCase):
    def test_a_backup_leaves_the_downloads_and_their_files_out(self):
        with self.captureOnCommitCallbacks(execute=True):
            download = services.request_download(
                user=self.staff, kind="history", params={"programme": self.programme.pk}
            )
        download.refresh_from_db()
        folder = Path(tempfile.mkdtemp(prefix="profploeg-backup-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        back_up(output=folder / "b")
        rows = json.loads((folder / "b" / DATA).read_text())
        self.assertNotIn("downloads.download", {row["model"] for row in rows})
        self.assertFalse((folder / "b" / MEDIA / download.file.name).exists())
        self.assertFalse((folder / "b" / MEDIA / "downloads").exists())
