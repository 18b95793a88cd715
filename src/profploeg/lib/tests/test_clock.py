"""A replayed moment holds for the importing thread only."""

import datetime
import threading

from django.test import SimpleTestCase
from django.utils import timezone

from profploeg.lib import clock

PAST = datetime.datetime(2022, 3, 1, 12, 0, tzinfo=datetime.UTC)


class ClockTests(SimpleTestCase):
    def test_within_a_replay_now_is_the_event_and_after_it_the_real_clock(self):
        with clock.replaying(PAST):
            self.assertEqual(clock.now(), PAST)
            self.assertEqual(clock.localdate(), datetime.date(2022, 3, 1))
        self.assertGreater(clock.now(), PAST + datetime.timedelta(days=365))

    def test_another_thread_keeps_the_real_clock_during_a_replay(self):
        seen = []
        started, done = threading.Event(), threading.Event()

        def other_request():
            started.wait(5)
            seen.append(clock.now())
            done.set()

        thread = threading.Thread(target=other_request)
        thread.start()
        with clock.replaying(PAST):
            started.set()
            done.wait(5)
        thread.join()
        self.assertLess(abs(seen[0] - timezone.now()), datetime.timedelta(minutes=1))
