"""Staff set up the consortium: its organisations, the fields of expertise, and change an
expert's details (registering an expert and their day rates: `views.expert_list`, `expert_detail`)."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from profploeg.accounts.permissions import role_required
from profploeg.lib.forms import attempt, posted

from . import services
from .forms import ExpertEditForm, ExpertiseAreaForm, OrganisationForm
from .models import Expert, ExpertiseArea, Organisation


@role_required("staff")
def organisation_list(request):
    form = OrganisationForm(posted(request))
    if form.is_valid() and attempt(
        form, lambda: services.create_organisation(by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The organisation was added."))
        return redirect("trajectories:organisations")
    organisations = Organisation.objects.annotate(expert_count=Count("experts"))
    context = {"organisations": organisations, "form": form}
    return render(request, "trajectories/organisation_list.html", context)


@role_required("staff")
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    initial = {"name": organisation.name, "is_lead_partner": organisation.is_lead_partner}
    form = OrganisationForm(posted(request), initial=initial)
    if form.is_valid() and attempt(
        form,
        lambda: services.update_organisation(
            by=request.user, organisation=organisation, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The organisation was saved."))
        return redirect("trajectories:organisations")
    organisation.refresh_from_db()
    context = {"organisation": organisation, "form": form}
    return render(request, "trajectories/organisation_form.html", context)


@role_required("staff")
def expertise_area_list(request):
    form = ExpertiseAreaForm(posted(request))
    if form.is_valid() and attempt(
        form, lambda: services.create_expertise_area(by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The expertise area was added."))
        return redirect("trajectories:expertise_areas")
    areas = ExpertiseArea.objects.annotate(expert_count=Count("experts"))
    return render(request, "trajectories/expertisearea_list.html", {"areas": areas, "form": form})


@role_required("staff")
def expert_edit(request, pk: int):
    expert = get_object_or_404(Expert.objects.select_related("organisation", "user"), pk=pk)
    initial = {
        "name": expert.name,
        "email": expert.email,
        "organisation": expert.organisation_id,
        "expertise_areas": list(expert.expertise_areas.all()),
        "user": expert.user_id,
        "is_active": expert.is_active,
    }
    form = ExpertEditForm(posted(request), initial=initial)
    if form.is_valid() and attempt(
        form,
        lambda: services.update_expert(by=request.user, expert=expert, **form.cleaned_data),
    ):
        messages.success(request, _("The expert was saved."))
        return redirect("trajectories:expert", pk=expert.pk)
    expert.refresh_from_db()
    return render(request, "trajectories/expert_form.html", {"expert": expert, "form": form})
