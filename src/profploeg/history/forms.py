from django import forms
from django.utils.translation import gettext_lazy as _


class HistoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("History workbook"),
        help_text=_("An .xlsx workbook with one sheet per kind (see the template)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx workbook."))
        return upload
