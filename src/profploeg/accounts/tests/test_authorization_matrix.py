"""Every URL, as every role, with ids that belong to someone else: one table says what happens.

alice works for Lier (province of Antwerpen), bob for Brugge (West-Vlaanderen), paula for the
province of Antwerpen. Every object in the table belongs to Brugge, so alice and paula ask for
someone else's data and bob for his own. Each request runs in a savepoint that is rolled back,
so that every role meets the same data.

Outcomes: ok (2xx, or a redirect that is not to a login page; for a POST with an empty form also
400/409/422: the request got past the permission check), 403, 404, login (sent to the login
page), admin-login (sent to the admin's login page), 405.

A URL pattern without an entry fails the test: add the new view to MATRIX. The API's endpoints
are declared, method by method, in api/tests/test_permissions.py, which fails when an endpoint of
the OpenAPI schema is missing there; this test checks that every API route is in that schema and
answers 401 to an anonymous caller. Run with PRINT_MATRIX=1 to print what each role gets.
"""

import datetime
import io
import os
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from profploeg.api import services as api_services
from profploeg.applications import services as application_services
from profploeg.applications.models import Attachment
from profploeg.downloads import services as download_services
from profploeg.evaluations import services as evaluation_services
from profploeg.evaluations.models import Question
from profploeg.programmes.models import InfoSession
from profploeg.showcase import services as showcase_services
from profploeg.showcase.tests.base import ShowcaseTestCase
from profploeg.trajectories.models import Intake

D = datetime.date
ROLES = ("anonymous", "alice", "bob", "paula", "expert", "staff")

# name: (method, URL arguments from the fixture, outcome for anonymous alice bob paula expert staff)
# "app" is Brugge's accepted application with a completed trajectory and a published case;
# "app2" Brugge's inadmissible one in round 2, followed up by staff.
EVERYONE = "login ok ok ok ok ok"
TEAM = "login 403 403 403 ok ok"
STAFF = "login 403 403 403 403 ok"
PUBLIC = "ok ok ok ok ok ok"
# Brugge's own objects: bob and the profploeg see them; for alice and paula they do not exist.
BRUGGE_AND_TEAM = "login 404 ok 404 ok ok"
REQUESTER = "login 404 404 404 404 ok"
MATRIX = {
    "set_language": ("POST", {}, PUBLIC),
    "healthz": ("GET", {}, PUBLIC),
    "home": ("GET", {}, EVERYONE),
    "workspace": ("GET", {}, STAFF),
    "workspace_retry": ("POST", {}, STAFF),
    "accounts:login": ("GET", {}, PUBLIC),
    "accounts:logout": ("POST", {}, "login login login login login login"),
    "accounts:verify": ("GET", {}, EVERYONE),
    "accounts:send_code": ("POST", {}, EVERYONE),
    "accounts:enrol": ("GET", {}, EVERYONE),
    "accounts:recovery_codes": ("POST", {}, EVERYONE),
    "accounts:profile": ("GET", {}, EVERYONE),
    "accounts:logout_everywhere": ("POST", {}, "login login login login login login"),
    "accounts:users": ("GET", {}, STAFF),
    "accounts:user_deactivate": ("POST", {"pk": "account"}, STAFF),
    "accounts:user_reactivate": ("POST", {"pk": "account"}, STAFF),
    "accounts:user_reinvite": ("POST", {"pk": "account"}, STAFF),
    # An unknown or used invitation link: the same answer for everyone.
    "accounts:accept_invitation": ("GET", {"secret": "=not-a-link"}, "404 404 404 404 404 404"),
    "accounts:password_reset": ("GET", {}, PUBLIC),
    "accounts:password_reset_done": ("GET", {}, PUBLIC),
    "accounts:password_reset_confirm": (
        "GET",
        {"uidb64": "=MQ", "token": "=set-password"},
        PUBLIC,
    ),
    "accounts:password_reset_complete": ("GET", {}, PUBLIC),
    "programmes:list": ("GET", {}, EVERYONE),
    "programmes:create": ("GET", {}, STAFF),
    "programmes:detail": ("GET", {"pk": "programme"}, TEAM),
    # Without ?programme= there is nowhere to switch to.
    "programmes:switch": ("GET", {}, "login 403 403 403 404 404"),
    "programmes:edit": ("GET", {"pk": "programme"}, STAFF),
    "programmes:round_add": ("GET", {"pk": "programme"}, STAFF),
    "programmes:round_edit": ("GET", {"round_id": "round"}, STAFF),
    "programmes:session_add": ("GET", {"pk": "programme"}, STAFF),
    "programmes:session_edit": ("GET", {"session_id": "session"}, STAFF),
    "programmes:themes": ("GET", {}, STAFF),
    "programmes:theme_edit": ("GET", {"slug": "=leegstand"}, STAFF),
    "applications:mine": ("GET", {}, "login ok ok 403 403 403"),
    "applications:province": ("GET", {}, "login 403 403 ok 403 403"),
    "applications:apply": ("GET", {"programme_id": "programme"}, "login ok ok 403 403 403"),
    "applications:round": ("GET", {"round_id": "round"}, TEAM),
    "applications:detail": ("GET", {"pk": "app"}, BRUGGE_AND_TEAM),
    "applications:decide": ("POST", {"pk": "app2"}, STAFF),
    "applications:withdraw": ("POST", {"pk": "app2"}, "login 404 ok 403 403 ok"),
    "applications:record": ("GET", {"programme_id": "programme"}, STAFF),
    "applications:attachment": (
        "GET",
        {"pk": "app", "attachment_id": "attachment"},
        BRUGGE_AND_TEAM,
    ),
    "applications:referral": ("GET", {"pk": "app2"}, "login 403 403 404 403 ok"),
    "trajectories:list": ("GET", {}, EVERYONE),
    "trajectories:detail": ("GET", {"pk": "trajectory"}, BRUGGE_AND_TEAM),
    "trajectories:assign": ("POST", {"pk": "trajectory"}, STAFF),
    "trajectories:expected_end": ("POST", {"pk": "trajectory"}, STAFF),
    "trajectories:step": ("POST", {"pk": "trajectory", "step": "=advance"}, TEAM),
    "trajectories:experts": ("GET", {}, STAFF),
    "trajectories:expert": ("GET", {"pk": "expert"}, STAFF),
    "trajectories:expert_edit": ("GET", {"pk": "expert"}, STAFF),
    "trajectories:organisations": ("GET", {}, STAFF),
    "trajectories:organisation_edit": ("GET", {"pk": "expert.organisation_id"}, STAFF),
    "trajectories:expertise_areas": ("GET", {}, STAFF),
    "trajectories:offer": ("GET", {"programme_pk": "programme"}, STAFF),
    "trajectories:intake_plan": ("GET", {"application_pk": "app"}, TEAM),
    "trajectories:intake_held": ("GET", {"application_pk": "app"}, TEAM),
    "trajectories:intake": ("GET", {"pk": "intake"}, BRUGGE_AND_TEAM),
    "trajectories:intake_reschedule": ("POST", {"pk": "intake"}, TEAM),
    "trajectories:intake_cancel": ("POST", {"pk": "intake"}, TEAM),
    "trajectories:intake_outcome": ("POST", {"pk": "intake"}, TEAM),
    "trajectories:intake_ics": ("GET", {"pk": "intake"}, BRUGGE_AND_TEAM),
    "trajectories:intake_form": ("GET", {"application_pk": "app"}, BRUGGE_AND_TEAM),
    "trajectories:days": ("GET", {}, TEAM),
    "trajectories:days_import": ("GET", {}, TEAM),
    "trajectories:entry_correct": ("GET", {"pk": "entry"}, STAFF),
    "trajectories:budget_latest": ("GET", {}, TEAM),
    "trajectories:budget": ("GET", {"programme_pk": "programme"}, TEAM),
    "evaluations:latest": ("GET", {}, STAFF),
    "evaluations:programme": ("GET", {"pk": "programme"}, STAFF),
    "evaluations:questionnaires": ("GET", {"pk": "programme"}, STAFF),
    "evaluations:follow_up": ("POST", {"pk": "programme"}, STAFF),
    "evaluations:question_remove": ("POST", {"pk": "question"}, STAFF),
    "evaluations:trajectory": ("GET", {"pk": "trajectory"}, BRUGGE_AND_TEAM),
    "evaluations:invitation_send": ("POST", {"pk": "trajectory"}, STAFF),
    "evaluations:indicator_remove": ("POST", {"pk": "indicator"}, TEAM),
    "evaluations:invitation_renew": ("POST", {"pk": "invitation"}, STAFF),
    "evaluations:answer": ("GET", {"token": "invitation.token"}, PUBLIC),
    "showcase:home": ("GET", {}, PUBLIC),
    "showcase:cases": ("GET", {}, PUBLIC),
    "showcase:case": ("GET", {"slug": "case.slug"}, PUBLIC),
    "showcase:map": ("GET", {}, PUBLIC),
    "showcase:photo": ("GET", {"pk": "photo"}, PUBLIC),
    "showcase:language": ("GET", {"language": "=en"}, PUBLIC),
    "showcase:open_data": ("GET", {}, PUBLIC),
    "showcase:cases_json": ("GET", {}, PUBLIC),
    "showcase:cases_csv": ("GET", {}, PUBLIC),
    "showcase:figures_json": ("GET", {}, PUBLIC),
    "showcase:figures_csv": ("GET", {}, PUBLIC),
    "showcase:sitemap": ("GET", {}, PUBLIC),
    "showcase:manage": ("GET", {}, EVERYONE),
    "showcase:case_create": ("GET", {"trajectory_pk": "trajectory"}, TEAM),
    "showcase:manage_case": ("GET", {"pk": "case"}, BRUGGE_AND_TEAM),
    "showcase:preview": ("GET", {"pk": "case"}, BRUGGE_AND_TEAM),
    "showcase:photo_add": ("POST", {"pk": "case"}, TEAM),
    "showcase:action": ("POST", {"pk": "case", "action": "=withdraw"}, "login 404 ok 404 403 ok"),
    "showcase:photo_remove": ("POST", {"pk": "photo"}, BRUGGE_AND_TEAM),
    "reports:status": ("GET", {"pk": "programme"}, TEAM),
    "api:tokens": ("GET", {}, EVERYONE),
    "api:token_revoke": ("POST", {"pk": "token"}, "login 404 ok 404 404 404"),
    "api:openapi-json": ("GET", {}, PUBLIC),
    "api:openapi-view": ("GET", {}, PUBLIC),
    "api:api-root": ("GET", {}, "404 404 404 404 404 404"),
    "api:not_found": ("GET", "/api/nothing-here", "404 404 404 404 404 404"),
    "imports:applications": ("GET", {}, STAFF),
    "history:import": ("GET", {}, STAFF),
    "history:template": ("GET", {}, STAFF),
    "history:export": ("GET", {"pk": "programme"}, STAFF),
    # A download is its requester's alone (staff's here): anyone else gets 404.
    "downloads:list": ("GET", {}, EVERYONE),
    "downloads:start": ("POST", {}, EVERYONE),
    "downloads:detail": ("GET", {"pk": "download"}, REQUESTER),
    "downloads:status": ("GET", {"pk": "download"}, REQUESTER),
    "downloads:file": ("GET", {"pk": "download"}, REQUESTER),
    "audit:history": (
        "GET",
        {"app_label": "=applications", "model_name": "=application", "pk": "app"},
        STAFF,
    ),
}


ADMIN_OWN_PAGES = (
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:password_change",
    "admin:password_change_done",
)


def url_patterns(patterns=None, prefix="", namespace=""):
    """(namespaced name, route, pattern) of every URL pattern, included ones too."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(n for n in (namespace, pattern.name) if n)
            yield name, prefix + str(pattern.pattern), pattern


def is_ninja(pattern: URLPattern) -> bool:
    """An endpoint of the API (django-ninja), declared in api/tests/test_permissions.py."""
    return pattern.callback.__module__.startswith("ninja.")


def classify(response) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status in (301, 302, 303):
        if location.startswith(reverse("admin:login")):
            return "admin-login"
        if location.startswith(reverse("accounts:login")):
            return "login"
        return "ok"
    if status == 401:
        return "login"
    if 200 <= status < 300 or status in (400, 409, 422):
        return "ok"
    return str(status)


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 60)).save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


class AuthorizationMatrixTests(ShowcaseTestCase):
    def fixture(self) -> dict:
        """Brugge's objects, each of a kind a URL takes."""
        case = self.draft(self.brugge)
        entry = self.register(case.trajectory, D(2022, 2, 1))
        photo = showcase_services.add_photo(
            by=self.staff, case=case, image=jpeg(), alt_text="De winkelstraat"
        )
        case = showcase_services.submit_for_review(by=self.staff, case=case)
        case = showcase_services.approve_case(by=self.bob, case=case, version=case.content_version)
        case = showcase_services.publish_case(by=self.staff, case=case)
        trajectory = case.trajectory
        application = trajectory.application
        with self.captureOnCommitCallbacks(execute=False):
            invitation = evaluation_services.send_questionnaire(
                trajectory=trajectory, by=self.staff
            )
        indicator = evaluation_services.record_indicator(
            by=self.staff,
            trajectory=trajectory,
            kind="footfall",
            moment="before",
            value=1200,
            measured_on=D(2021, 9, 1),
            source="Telling",
        )
        attachment = Attachment.objects.create(
            application=application,
            file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
            original_name="plan.pdf",
            size=13,
        )
        app2 = self.submit(self.brugge, day=D(2021, 9, 15), by=self.staff)
        self.decide(app2, "inadmissible", reason="Onvolledig.")
        app2.refresh_from_db()
        application_services.record_referral(
            application=app2, by=self.staff, contacted_on=D(2021, 9, 20), outcome="pending"
        )
        token, _plaintext = api_services.create_token(user=self.bob, name="bob")
        with self.captureOnCommitCallbacks(execute=True):
            download = download_services.request_download(
                user=self.staff, kind="history", params={"programme": self.programme.pk}
            )
        return {
            "programme": self.programme,
            "round": self.round1,
            "session": InfoSession.objects.create(
                programme=self.programme, title="Webinar", held_on=D(2021, 6, 25)
            ),
            "app": application,
            "app2": app2,
            "attachment": attachment,
            "trajectory": trajectory,
            "intake": Intake.objects.get(application=application),
            "entry": entry,
            "expert": self.eva,
            "question": Question.objects.filter(questionnaire=invitation.questionnaire).first(),
            "invitation": invitation,
            "indicator": indicator,
            "case": case,
            "photo": photo,
            "token": token,
            "account": self.bob,
            "download": download,
        }

    def test_every_url_pattern_has_an_entry(self):
        missing = [
            name
            for name, route, pattern in url_patterns()
            if not route.startswith("admin/") and not is_ninja(pattern) and name not in MATRIX
        ]
        self.assertEqual(missing, [], "Declare what each role gets in MATRIX.")

    def path(self, fixture: dict, name: str, arguments) -> str:
        if isinstance(arguments, str):
            return arguments
        kwargs = {}
        for key, source in arguments.items():
            if source.startswith("="):
                kwargs[key] = source[1:]
            elif "." in source:
                obj, attribute = source.split(".")
                kwargs[key] = getattr(fixture[obj], attribute)
            else:
                kwargs[key] = fixture[source].pk
        return reverse(name, kwargs=kwargs)

    def observe(self) -> dict[str, dict[str, str]]:
        fixture = self.fixture()
        clients = {role: Client() for role in ROLES}
        for role in ROLES[1:]:
            clients[role].force_login(getattr(self, role))
        observed = {}
        for name, (method, arguments, _expected) in MATRIX.items():
            path = self.path(fixture, name, arguments)
            observed[name] = {}
            for role in ROLES:
                savepoint = transaction.savepoint()
                try:
                    send = clients[role].post if method == "POST" else clients[role].get
                    response = send(path)
                finally:
                    transaction.savepoint_rollback(savepoint)
                observed[name][role] = classify(response)
            if name in ("accounts:logout", "accounts:logout_everywhere"):
                # The session has ended: log in again for the next URL.
                for role in ROLES[1:]:
                    clients[role].force_login(getattr(self, role))
        return observed

    def test_every_url_as_every_role(self):
        observed = self.observe()
        if os.environ.get("PRINT_MATRIX"):
            for name, outcomes in observed.items():
                print(f'    "{name}": "{" ".join(outcomes[r] for r in ROLES)}",')
        for name, (_method, _arguments, expected) in MATRIX.items():
            for role, outcome in zip(ROLES, expected.split(), strict=True):
                with self.subTest(url=name, role=role):
                    self.assertEqual(observed[name][role], outcome)

    def test_the_admin_is_for_django_staff_only(self):
        # None of the named users is a Django admin (is_staff): the admin sends them to its own
        # login page; anonymous callers go to ours first.
        paths = set()
        for name, route, pattern in url_patterns():
            if not route.startswith("admin/") or not pattern.name or name in ADMIN_OWN_PAGES:
                continue
            converters = pattern.pattern.converters
            kwargs = {key: "1" for key in converters}
            if name == "admin:view_on_site":
                continue
            try:
                paths.add(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
        self.assertGreater(len(paths), 50)
        staff = Client()
        staff.force_login(self.staff)
        for path in sorted(paths):
            with self.subTest(path=path):
                self.assertEqual(classify(self.client.get(path)), "login")
                self.assertEqual(classify(staff.get(path)), "admin-login")
        # The admin's own pages (index, login, password change, ...) show no data to either.
        for name in ADMIN_OWN_PAGES:
            with self.subTest(name=name):
                self.assertIn(self.client.get(reverse(name)).status_code, (200, 302, 404, 405))
                self.assertIn(staff.get(reverse(name)).status_code, (200, 302, 404, 405))
        self.assertEqual(classify(staff.get(reverse("admin:index"))), "admin-login")

    def test_every_api_route_is_in_the_schema_and_closed_to_anonymous_callers(self):
        schema = self.client.get("/api/openapi.json").json()["paths"]
        open_routes = {"api/openapi.json", "api/docs", "api/"}
        # De Vitrine's published cases and figures are public, as on its pages.
        public_prefix = "api/showcase/"
        for _name, route, pattern in url_patterns():
            if not is_ninja(pattern) or route in open_routes:
                continue
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            expected = (200, 404) if route.startswith(public_prefix) else (401,)
            with self.subTest(route=route):
                self.assertIn(path, schema)
                for method in schema[path]:
                    concrete = re.sub(r"\{\w+\}", "1", path)
                    response = getattr(self.client, method)(concrete)
                    self.assertIn(response.status_code, expected, f"{method} {concrete}")
