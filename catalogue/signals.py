from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Film, Practice, Structure
from .search import update_search_columns


@receiver(post_save, sender=Structure)
@receiver(post_save, sender=Practice)
@receiver(post_save, sender=Film)
def refresh_search_columns(sender, instance, raw=False, **kwargs):
    if not raw:
        update_search_columns(instance)
