"""Forms of the account area; every label and message is translatable."""

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReauthenticationForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autofocus": True}))
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        required=False,
        help_text=_("From your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, request, needs_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if needs_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Through authenticate(), so the login throttle counts wrong passwords here too.
        user = authenticate(self.request, username=self.request.user.get_username(), password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("New email address"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.user.email or "").lower():
            raise forms.ValidationError(_("That is already your email address."), code="unchanged")
        if get_user_model().objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Another account uses that email address."), code="taken")
        return email


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the script."))
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        initial=True,
        help_text=_("A token made in a session where you gave no code from your authenticator is always read only."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Acts only for"),
        queryset=None,
        required=False,
        empty_label=_("All my organisations"),
        to_field_name="key",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
