"""French short month names for the "M" and "b" date formats (`{{ month|date:"M Y" }}`, the charts' ticks).

Django's French catalogue shortens June and July to "jui" and "jul", which a French reader cannot tell
apart, and August to "aoû", which no one writes. This project's catalogue (LOCALE_PATHS comes before
Django's) translates the same messages as "juin", "juil" and "août", the short names the French Plotly
locale (static/js/plotly-locale-fr.js) prints too. These markers only keep the messages in
locale/fr/LC_MESSAGES/django.po when `bin/messages` refreshes it; nothing imports this module.
"""

from django.utils.translation import gettext_noop

SHORT_MONTHS = (gettext_noop("jun"), gettext_noop("jul"), gettext_noop("aug"))
