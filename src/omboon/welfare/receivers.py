"""Welfare's answer to other domains' signals (connected in ``apps.WelfareConfig.ready``)."""

from django.dispatch import receiver

from omboon.members.signals import member_erased
from omboon.welfare.models import Claim, ClaimPayee


@receiver(member_erased, dispatch_uid="welfare.forget_erased_member")
def forget_erased_member(sender, member, **kwargs) -> None:
    """A member's personal data is erased: the claims stay (their amounts are in the books) but
    their free-text details and the payees' names and relations go."""
    claims = Claim.objects.filter(member=member)
    ClaimPayee.objects.filter(claim__in=claims).update(name="", relation="")
    claims.update(details="")
