"""The data version: every committed write to a Profploeg table raises it, once per
transaction, whatever wrote it (a save, a bulk update, a delete, raw SQL); a rolled-back one
does not, nor does bookkeeping."""

from django.db import connection, transaction
from django.test import TransactionTestCase

from profploeg.operations import versioning
from profploeg.operations.models import DataVersion
from profploeg.programmes.models import Theme
from profploeg.test import make_user


class DataVersionTests(TransactionTestCase):
    # Real commits; the rows the migrations load (themes, municipalities) come back after.
    serialized_rollback = True

    def setUp(self):
        self.before = versioning.current()

    def number(self) -> int:
        return int(versioning.current().split(":")[1])

    def test_a_save_an_update_a_delete_and_raw_sql_each_raise_it(self):
        start = self.number()
        theme = Theme.objects.create(slug="versioning-one", name="One")
        self.assertEqual(self.number(), start + 1)
        Theme.objects.filter(pk=theme.pk).update(name="Leegstand en winkels")
        self.assertEqual(self.number(), start + 2)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Theme._meta.db_table} SET name = %s WHERE id = %s", ["X", theme.pk]
            )
        self.assertEqual(self.number(), start + 3)
        theme.delete()
        self.assertEqual(self.number(), start + 4)

    def test_a_transaction_raises_it_once_and_only_when_it_commits(self):
        start = self.number()
        with transaction.atomic():
            Theme.objects.create(slug="versioning-a", name="A")
            Theme.objects.create(slug="versioning-b", name="B")
            # Not yet: another process still reads the data as it was.
            self.assertEqual(self.number(), start)
        self.assertEqual(self.number(), start + 1)
        try:
            with transaction.atomic():
                Theme.objects.create(slug="versioning-c", name="C")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        self.assertEqual(self.number(), start + 1)
        self.assertFalse(Theme.objects.filter(slug="versioning-c").exists())

    def test_a_write_in_a_rolled_back_savepoint_does_not_stop_a_later_one_counting(self):
        start = self.number()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Theme.objects.create(slug="versioning-d", name="D")
                    raise RuntimeError("savepoint rolled back")
            except RuntimeError:
                pass
            Theme.objects.create(slug="versioning-e", name="E")
        self.assertEqual(self.number(), start + 1)

    def test_bookkeeping_and_other_apps_tables_do_not_raise_it(self):
        start = self.number()
        DataVersion.objects.filter(pk=1).update(number=start)
        from django.contrib.sessions.backends.db import SessionStore

        SessionStore().create()
        # A login writes the user's last_login: it must not empty the cache of every report.
        make_user("vera", "staff").save(update_fields=["last_login"])
        self.assertEqual(self.number(), start)

    def test_renew_gives_a_new_token_so_an_old_number_never_names_new_data(self):
        token = versioning.current().split(":")[0]
        versioning.renew()
        self.assertNotEqual(versioning.current().split(":")[0], token)
        # Gone altogether (a flush): it comes back, under a new token.
        DataVersion.objects.all().delete()
        self.assertRegex(versioning.current(), r"^[0-9a-f]{16}:0$")
