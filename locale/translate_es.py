"""Fill locale/es/LC_MESSAGES/django.po from the table below, then run msgfmt.

Run after `manage.py makemessages -l es`: python locale/translate_es.py
The table wins over what the .po holds, so a corrected translation sticks; strings not
in the table keep their .po translation, or stay empty (tests/test_translations.py then
fails: every string must have a Spanish translation).
"""

import ast
import re
import subprocess
from pathlib import Path

PO = Path(__file__).resolve().parent / "es" / "LC_MESSAGES" / "django.po"

ES = {
    "Choose a speaker of this session's meeting.": "Elige un ponente del encuentro de esta sesión.",
    # Capacity below the people holding places
    "%(confirmed)s people are confirmed: the capacity cannot be %(capacity)s. Cancel "
    "registrations first, or keep more places.": "Hay %(confirmed)s personas "
    "confirmadas: el aforo no puede ser %(capacity)s. Cancela inscripciones antes o "
    "mantén más plazas.",
    "%(held)s people hold a seat in %(session)s: it cannot have %(seats)s seats. Cancel "
    "bookings first, or keep more seats.": "%(held)s personas tienen plaza en %(session)s: "
    "no puede tener %(seats)s plazas. Cancela reservas antes o mantén más plazas.",
    # A meeting's new frame must hold its sessions
    "%(session)s would fall outside the meeting's days; move or cancel it first.": (
        "%(session)s quedaría fuera de los días del encuentro; muévela o cancélala antes."
    ),
    "%(session)s is in room %(room)s of another venue; move it first.": (
        "%(session)s está en la sala %(room)s de otra sede; muévela antes."
    ),
    # Agenda rules (board, admin, API)
    "The agenda is being changed by someone else; try again.": (
        "Otra persona está cambiando la agenda; inténtalo de nuevo."
    ),
    "conflict day\x04D j M": "D j \\d\\e b",
    "conflict date\x04d M Y": "d M Y",
    "Give both a start and an end time, or neither.": (
        "Indica a la vez la hora de inicio y la de fin, o ninguna."
    ),
    "Times need a time zone.": "Las horas necesitan una zona horaria.",
    "A session must end after it starts.": "Una sesión debe terminar después de empezar.",
    "A session must lie within the meeting's days (%(first)s–%(last)s, %(zone)s).": (
        "Una sesión debe caer dentro de los días del encuentro (%(first)s–%(last)s, %(zone)s)."
    ),
    "Room %(room)s is not at this meeting's venue.": (
        "La sala %(room)s no está en la sede de este encuentro."
    ),
    "Room %(room)s is taken by %(session)s.": "La sala %(room)s está ocupada por %(session)s.",
    "%(speaker)s already speaks in %(session)s.": "%(speaker)s ya interviene en %(session)s.",
    "A capacity of %(capacity)s does not fit room %(room)s (%(seats)s seats).": (
        "Un aforo de %(capacity)s no cabe en la sala %(room)s (%(seats)s plazas)."
    ),
    "Track %(track)s belongs to another meeting.": (
        "La línea temática %(track)s pertenece a otro encuentro."
    ),
    "A session needs a title.": "Una sesión necesita un título.",
    "Room %(room)s is taken at that time.": "La sala %(room)s está ocupada a esa hora.",
    "%(session)s is not cancelled.": "%(session)s no está cancelada.",
    "%(speaker)s is a speaker of another meeting.": "%(speaker)s es ponente de otro encuentro.",
    "%(speaker)s is already in %(session)s.": "%(speaker)s ya está en %(session)s.",
    "%(speaker)s is not in %(session)s.": "%(speaker)s no está en %(session)s.",
    "Give every speaker of the session exactly once to reorder them.": (
        "Para reordenar, indica cada ponente de la sesión exactamente una vez."
    ),
    "A speaker needs a name and a slug.": (
        "Un ponente necesita un nombre y un identificador (slug)."
    ),
    "A track needs a name and a slug.": (
        "Una línea temática necesita un nombre y un identificador (slug)."
    ),
    # Meeting cancelled by the organizers
    "%(title)s is cancelled": "%(title)s se ha cancelado",
    "We are sorry: the organizers have cancelled %(title)s. Your registration and your "
    "session choices no longer apply.": "Lo sentimos: la organización ha cancelado "
    "%(title)s. Tu inscripción y las sesiones que elegiste quedan sin efecto.",
    "The attached calendar removes the meeting and its sessions from your calendar.": (
        "El calendario adjunto elimina el encuentro y sus sesiones de tu calendario."
    ),
    # Reminder before the meeting
    "See you soon at %(title)s": "Nos vemos pronto en %(title)s",
    "%(title)s starts soon and your place is confirmed. Here is what you need to know.": (
        "%(title)s empieza pronto y tu plaza está confirmada. Esto es lo que necesitas saber."
    ),
    "If you can no longer come, please cancel with your private link: your place goes to "
    "the next person waiting.": "Si ya no puedes venir, cancela con tu enlace privado: tu "
    "plaza pasará a la siguiente persona en espera.",
    # Agenda-change emails and calendars
    "Changes to your agenda at %(title)s": "Cambios en tu agenda de %(title)s",
    "CANCELLED": "CANCELADA",
    "The organizers of %(title)s have changed sessions you are attending. "
    "This is how they stand now (times in %(zone)s):": "La organización de %(title)s ha "
    "cambiado sesiones a las que asistes. Así quedan ahora (horas en %(zone)s):",
    "The attached calendar updates these sessions in your calendar. If you subscribed "
    "to your personal calendar, it follows these changes by itself.": "El calendario "
    "adjunto actualiza estas sesiones en tu calendario. Si te suscribiste a tu calendario "
    "personal, recoge estos cambios por sí solo.",
    "Cancelled: %(title)s": "Cancelada: %(title)s",
    "This session has been cancelled.": "Esta sesión se ha cancelado.",
    "With: %(people)s": "Con: %(people)s",
    "%(meeting)s — my agenda": "%(meeting)s — mi agenda",
    # Models and choices
    "Keynote": "Conferencia magistral",
    "Talk": "Charla",
    "Panel": "Mesa redonda",
    "Good practice": "Buena práctica",
    "Workshop": "Taller",
    "Networking": "Networking",
    "B2B meetings": "Reuniones B2B",
    "Break": "Pausa",
    "Social": "Social",
    "Draft": "Borrador",
    "Confirmed": "Confirmada",
    "Cancelled": "Cancelada",
    "Published": "Publicada",
    "English": "Inglés",
    "Spanish": "Español",
    "Pending approval": "Pendiente de aprobación",
    "Waitlisted": "En lista de espera",
    "Rejected": "Rechazada",
    "Booked": "Reservada",
    "Requested": "Solicitada (a la espera de confirmar tu inscripción)",
    "Pending": "Pendiente",
    "Sent": "Enviado",
    "Failed": "Fallido",
    "first name": "nombre",
    "last name": "apellidos",
    "email": "correo electrónico",
    "organization name": "nombre de la organización",
    "registration": "inscripción",
    "registrations": "inscripciones",
    "session booking": "reserva de sesión",
    "session bookings": "reservas de sesiones",
    # Meeting page
    "This meeting has been cancelled.": "Este encuentro ha sido cancelado.",
    "times in": "horario",
    "About": "Sobre el encuentro",
    # Services and API
    "Thank you. Check your email: we have sent you a message with your registration link.": (
        "Gracias. Revisa tu correo: te hemos enviado un mensaje con el enlace de tu inscripción."
    ),
    "Send a JSON body (Content-Type: application/json).": (
        "Envía un cuerpo JSON (Content-Type: application/json)."
    ),
    "These sessions cannot be chosen at this meeting: %(ids)s.": (
        "Estas sesiones no se pueden elegir en este encuentro: %(ids)s."
    ),
    "“%(first)s” and “%(second)s” take place at the same time: choose one of them.": (
        "«%(first)s» y «%(second)s» son a la misma hora: elige una de las dos."
    ),
    "This registration is cancelled: its choices are closed.": (
        "Esta inscripción está cancelada: ya no se pueden cambiar sus sesiones."
    ),
    "This meeting is over.": "Este encuentro ya ha terminado.",
    "We are busy right now: please try again.": (
        "Ahora mismo estamos muy ocupados: inténtalo de nuevo."
    ),
    "Registration is not open for this meeting.": (
        "La inscripción no está abierta en este encuentro."
    ),
    "Registration has not opened yet.": "La inscripción todavía no está abierta.",
    "Registration is closed.": "La inscripción está cerrada.",
    "Enter a valid email address.": "Introduce una dirección de correo válida.",
    "This field is required.": "Este campo es obligatorio.",
    "Use at most %(max)d characters.": "Usa como máximo %(max)d caracteres.",
    "Choose a language we write in.": "Elige un idioma en el que escribimos.",
    "We need your consent to process your data to register you.": (
        "Necesitamos tu consentimiento para tratar tus datos y poder inscribirte."
    ),
    "Only registrations waiting for approval can be approved.": (
        "Solo se pueden aprobar inscripciones pendientes de aprobación."
    ),
    "Only pending or waitlisted registrations can be rejected; cancel the others.": (
        "Solo se pueden rechazar inscripciones pendientes o en lista de espera; cancela las demás."
    ),
    "Only people on the waitlist can be moved from it.": (
        "Solo se puede pasar a confirmada a quien está en la lista de espera."
    ),
    "The meeting is full: cancel a registration or raise the capacity first.": (
        "El encuentro está completo: cancela una inscripción o aumenta el aforo primero."
    ),
    # Consent and form
    "I agree that the organizers process my personal data to manage my registration "
    "and to send me information about this meeting.": (
        "Acepto que la organización trate mis datos personales para gestionar mi inscripción "
        "y enviarme información sobre este encuentro."
    ),
    "Show my name and organisation in the list of participants, so other clusters "
    "can contact me.": (
        "Mostrar mi nombre y mi organización en la lista de participantes, para que otros "
        "clústeres puedan contactarme."
    ),
    "One of the chosen sessions cannot be chosen any more: reload the page.": (
        "Una de las sesiones elegidas ya no se puede elegir: vuelve a cargar la página."
    ),
    "First name": "Nombre",
    "Last name": "Apellidos",
    "Email": "Correo electrónico",
    "We send your confirmation and your private link here.": (
        "Aquí te enviamos la confirmación y tu enlace privado."
    ),
    "Organisation": "Organización",
    "Choose from the list or type a new name.": "Elige de la lista o escribe un nombre nuevo.",
    "Job title": "Cargo",
    "Region": "Comunidad autónoma",
    # Pages
    "Registration": "Inscripción",
    "Registration is open.": "La inscripción está abierta.",
    "The organizers review every registration.": "La organización revisa cada inscripción.",
    "Register": "Inscribirme",
    "All places are taken: you can still join the waitlist. Places that become free go "
    "to the waitlist in order of arrival.": (
        "Todas las plazas están ocupadas: aún puedes apuntarte a la lista de espera. Las "
        "plazas que se liberen se asignan por orden de llegada."
    ),
    "Join the waitlist": "Apuntarme a la lista de espera",
    "Registration opens on %(when)s.": "La inscripción se abre el %(when)s.",
    "Workshops with limited seats that you chose are “requested”: they get a seat, or a "
    "place on their waitlist, when your registration is confirmed.": (
        "Los talleres con plazas limitadas que has elegido están «solicitados»: tendrán plaza, "
        "o un puesto en su lista de espera, cuando se confirme tu inscripción."
    ),
    # Date formats (Django's date filter letters; \\d\\e prints "de")
    "l j F, H:i": "l j \\d\\e F, H:i",
    "l j F": "l j \\d\\e F",
    "D j M, H:i": "D j b, H:i",
    "j F Y, H:i": "j \\d\\e F \\d\\e Y, H:i",
    # Admin actions
    "Approve (a seat, or the waitlist when full)": (
        "Aprobar (plaza, o lista de espera si está completo)"
    ),
    "Reject": "Rechazar",
    "Move from the waitlist into a free seat": "Pasar de la lista de espera a una plaza libre",
    "Cancel (the next person waiting is promoted)": (
        "Cancelar (pasa la siguiente persona en espera)"
    ),
    "Resend the private link by email": "Reenviar el enlace privado por correo",
    "Export as CSV": "Exportar como CSV",
    "Sessions you want to attend": "Sesiones a las que quieres asistir",
    "Workshops with limited seats are booked in order of arrival; when one is full you "
    "join its waitlist. Times are in": (
        "Los talleres con plazas limitadas se reservan por orden de llegada; si uno está "
        "completo, entras en su lista de espera. Horario"
    ),
    "Time to be announced": "Horario por anunciar",
    "Full: waitlist": "Completo: lista de espera",
    "When": "Cuándo",
    "Where": "Dónde",
    "Status": "Estado",
    "Your sessions": "Tus sesiones",
    "Your registration": "Tu inscripción",
    "Questions?": "¿Preguntas?",
    "This link is personal: it lets you see, change or cancel your registration. "
    "Do not share it.": (
        "Este enlace es personal: con él puedes ver, cambiar o cancelar tu inscripción. "
        "No lo compartas."
    ),
    "This link is personal. Do not share it.": "Este enlace es personal. No lo compartas.",
    "This registration is cancelled.": "Esta inscripción está cancelada.",
    "You have not chosen any sessions.": "No has elegido ninguna sesión.",
    "Change my sessions": "Cambiar mis sesiones",
    "Save my sessions": "Guardar mis sesiones",
    "Manage": "Gestionar",
    "Cancel my registration": "Cancelar mi inscripción",
    "Reset my private link": "Cambiar mi enlace privado",
    "If you shared this link by mistake: we email you a new one, and this link and your "
    "calendar subscription stop working.": (
        "Si has compartido este enlace por error: te enviamos uno nuevo por correo, y este "
        "enlace y tu suscripción al calendario dejan de funcionar."
    ),
    "All places are taken. When one becomes free it goes to the first person waiting, "
    "and we will email you at once.": (
        "Todas las plazas están ocupadas. Cuando se libere una, será para la primera persona "
        "en espera y te escribiremos enseguida."
    ),
    "The organizers review every registration; we will email you when yours is approved.": (
        "La organización revisa cada inscripción; te escribiremos cuando la tuya esté aprobada."
    ),
    "Do you want to cancel your registration for %(title)s? Your place and your session "
    "seats go to the people waiting; this cannot be undone.": (
        "¿Quieres cancelar tu inscripción en %(title)s? Tu plaza y tus plazas en sesiones "
        "pasarán a las personas en espera; no se puede deshacer."
    ),
    "Yes, cancel my registration": "Sí, cancelar mi inscripción",
    "No, keep it": "No, mantenerla",
    "New private link": "Nuevo enlace privado",
    "We have emailed you a new private link. The old link and your old calendar "
    "subscription no longer work.": (
        "Te hemos enviado por correo un nuevo enlace privado. El enlace anterior y tu "
        "suscripción anterior al calendario ya no funcionan."
    ),
    "Please correct the errors below.": "Corrige los errores que se indican abajo.",
    "No account needed: we email you a private link to change or cancel your registration.": (
        "No necesitas cuenta: te enviamos un enlace privado para cambiar o cancelar tu inscripción."
    ),
    "Check your email": "Revisa tu correo",
    "If nothing arrives within a few minutes, look in your spam folder. The link in that "
    "email lets you see your status, change your sessions or cancel.": (
        "Si no llega nada en unos minutos, mira en la carpeta de correo no deseado. Con el "
        "enlace de ese mensaje puedes ver tu estado, cambiar tus sesiones o cancelar."
    ),
    "Too many requests": "Demasiadas peticiones",
    "Your choices are saved.": "Tus sesiones se han guardado.",
    "“%(title)s” is full: you are on its waitlist.": (
        "«%(title)s» está completa: estás en su lista de espera."
    ),
    "Your registration is cancelled. We have sent you an email.": (
        "Tu inscripción está cancelada. Te hemos enviado un correo."
    ),
    # Emails
    "Hello %(name)s,": "Hola, %(name)s:",
    "Here is the private link to your registration for %(title)s. With it you can see your "
    "status, choose sessions, download your calendar or cancel.": (
        "Este es el enlace privado de tu inscripción en %(title)s. Con él puedes ver tu estado, "
        "elegir sesiones, descargar tu calendario o cancelar."
    ),
    "Your registration link for %(title)s": "El enlace de tu inscripción en %(title)s",
    "We have received your registration for %(title)s": (
        "Hemos recibido tu inscripción en %(title)s"
    ),
    "We have received your registration for %(title)s. The organizers review every "
    "registration: we will write to you as soon as yours is approved.": (
        "Hemos recibido tu inscripción en %(title)s. La organización revisa cada inscripción: "
        "te escribiremos en cuanto la tuya esté aprobada."
    ),
    "Your registration for %(title)s is confirmed": "Tu inscripción en %(title)s está confirmada",
    "Your place at %(title)s is confirmed. We look forward to seeing you.": (
        "Tu plaza en %(title)s está confirmada. Te esperamos."
    ),
    "You are on the waitlist for %(title)s": "Estás en la lista de espera de %(title)s",
    "All places at %(title)s are taken, so you are on the waitlist. When a place becomes "
    "free it goes to the first person waiting, and we will write to you at once.": (
        "Todas las plazas de %(title)s están ocupadas, así que estás en la lista de espera. "
        "Cuando se libere una plaza será para la primera persona en espera, y te escribiremos "
        "enseguida."
    ),
    "A place is free: your registration for %(title)s is confirmed": (
        "Se ha liberado una plaza: tu inscripción en %(title)s está confirmada"
    ),
    "Good news: a place became free at %(title)s and it is yours. Your registration is "
    "now confirmed.": (
        "Buenas noticias: se ha liberado una plaza en %(title)s y es para ti. Tu inscripción "
        "ya está confirmada."
    ),
    "Your registration for %(title)s is cancelled": "Tu inscripción en %(title)s está cancelada",
    "Your registration for %(title)s is cancelled, as you asked. Thank you for telling us: "
    "your place goes to the next person waiting.": (
        "Tu inscripción en %(title)s está cancelada, como pediste. Gracias por avisarnos: tu "
        "plaza pasa a la siguiente persona en espera."
    ),
    "The organizers have cancelled your registration for %(title)s. If you think this is a "
    "mistake, reply to this email.": (
        "La organización ha cancelado tu inscripción en %(title)s. Si crees que es un error, "
        "responde a este correo."
    ),
    "Your registration for %(title)s": "Tu inscripción en %(title)s",
    "We are sorry: the organizers could not accept your registration for %(title)s. If you "
    "have questions, reply to this email.": (
        "Lo sentimos: la organización no ha podido aceptar tu inscripción en %(title)s. Si "
        "tienes preguntas, responde a este correo."
    ),
    "Your seat is booked: %(session_title)s": "Tienes plaza reservada: %(session_title)s",
    "You have a seat at this session of %(title)s:": "Tienes plaza en esta sesión de %(title)s:",
    "Session full, you are on its waitlist: %(session_title)s": (
        "Sesión completa, estás en su lista de espera: %(session_title)s"
    ),
    "This session of %(title)s is full, so you are on its waitlist. When a seat becomes "
    "free it goes to the first person waiting, and we will write to you at once:": (
        "Esta sesión de %(title)s está completa, así que estás en su lista de espera. Cuando "
        "se libere una plaza será para la primera persona en espera, y te escribiremos "
        "enseguida:"
    ),
    "A seat is free, you are booked: %(session_title)s": (
        "Se ha liberado una plaza y es tuya: %(session_title)s"
    ),
    "Good news: a seat became free and it is yours. You are booked for this session of "
    "%(title)s:": (
        "Buenas noticias: se ha liberado una plaza y es para ti. Tienes plaza en esta sesión "
        "de %(title)s:"
    ),
    "Your seat is cancelled: %(session_title)s": "Tu plaza está cancelada: %(session_title)s",
    "You are no longer booked for this session of %(title)s:": (
        "Ya no tienes plaza en esta sesión de %(title)s:"
    ),
    # Calendar feed filters (errors of agenda.ics)
    "Unknown track: %(values)s. Use a track's slug.": (
        "Línea temática desconocida: %(values)s. Usa el slug de la línea."
    ),
    "The room filter takes a room's number, e.g. ?room=3.": (
        "El filtro de sala necesita el número de la sala, p. ej. ?room=3."
    ),
    "Unknown room for this meeting: %(values)s.": "Sala desconocida en este encuentro: %(values)s.",
    "Unknown kind: %(values)s. Known kinds: %(known)s.": (
        "Tipo desconocido: %(values)s. Tipos válidos: %(known)s."
    ),
    "The day filter takes a date like 2019-12-10, not %(value)s.": (
        "El filtro de día necesita una fecha como 2019-12-10, no %(value)s."
    ),
    "%(day)s is not a day of this meeting (%(first)s to %(last)s).": (
        "%(day)s no es un día de este encuentro (del %(first)s al %(last)s)."
    ),
    # Agenda models
    "Use a colour like #1f6feb.": "Usa un color como #1f6feb.",
    "name": "nombre",
    "slug": "slug",
    "colour": "color",
    "position": "posición",
    "track": "línea temática",
    "tracks": "líneas temáticas",
    "job title": "cargo",
    "biography": "biografía",
    "email (private)": "correo electrónico (privado)",
    "external id": "id externo",
    "speaker": "ponente",
    "speakers": "ponentes",
    "title": "título",
    "abstract": "resumen",
    "kind": "tipo",
    "starts at": "empieza",
    "ends at": "termina",
    "capacity": "aforo",
    "Empty means the room's capacity, or unlimited.": (
        "Vacío significa el aforo de la sala, o sin límite."
    ),
    "needs booking": "requiere reserva",
    "status": "estado",
    "sequence": "secuencia",
    "session": "sesión",
    "sessions": "sesiones",
    "Speaker": "Ponente",
    "Moderator": "Moderador/a",
    "Panelist": "Panelista",
    "role": "rol",
    "order": "orden",
    "session speaker": "ponente de la sesión",
    "session speakers": "ponentes de la sesión",
    # Agenda board
    "no time": "sin hora",
    "Move": "Mover",
    "Room": "Sala",
    "No room": "Sin sala",
    "Starts at": "Empieza",
    "Restore": "Restaurar",
    "Cancel session": "Cancelar la sesión",
    "Agenda board": "Tablero de la agenda",
    "Public agenda": "Agenda pública",
    "Times in": "Horario",
    "drag a session onto another room or time, or use its Move form": (
        "arrastra una sesión a otra sala u hora, o usa su formulario Mover"
    ),
    "Meeting is a draft": "El encuentro es un borrador",
    "New session": "Nueva sesión",
    "Import CSV/JSON": "Importar CSV/JSON",
    "Publish the agenda": "Publicar la agenda",
    "Time": "Hora",
    "Conflicts": "Conflictos",
    "None on this day.": "Ninguno este día.",
    "Without a room": "Sin sala",
    "None.": "Ninguna.",
    "Without a time": "Sin hora",
    "Import the agenda": "Importar la agenda",
    "A CSV or JSON file, one session per row, matched by <code>external_id</code>: new ids "
    "create sessions, known ids update them. If any row is wrong, nothing is saved and every "
    "problem is listed.": (
        "Un archivo CSV o JSON, una sesión por fila, identificada por <code>external_id</code>: "
        "los id nuevos crean sesiones y los ya conocidos las actualizan. Si alguna fila tiene "
        "errores, no se guarda nada y se indican todos los problemas."
    ),
    "Columns": "Columnas",
    "Nothing was imported:": "No se ha importado nada:",
    "Import": "Importar",
    "Save": "Guardar",
    "View page": "Ver la página",
    "Edit on the board": "Editar en el tablero",
    # Calendar links
    "Add this session to your calendar": "Añade esta sesión a tu calendario",
    "Add to calendar (.ics)": "Añadir al calendario (.ics)",
    "Google Calendar": "Google Calendar",
    "Outlook.com": "Outlook.com",
    "This agenda in your calendar": "Esta agenda en tu calendario",
    "Subscribe": "Suscribirme",
    "Subscribe in Google Calendar": "Suscribirme en Google Calendar",
    "Download (.ics)": "Descargar (.ics)",
    "Only the sessions matching these filters.": "Solo las sesiones que cumplen estos filtros.",
    "A subscription follows every later change: moved, new and cancelled sessions.": (
        "La suscripción recoge todos los cambios posteriores: sesiones movidas, nuevas y "
        "canceladas."
    ),
    "Your agenda in your calendar": "Tu agenda en tu calendario",
    "Subscribe once and your calendar shows the sessions you have booked or chosen at this "
    "meeting. It follows every change: a moved, cancelled or newly booked session shows up by "
    "itself the next time your calendar refreshes (usually within an hour). Sessions you are "
    "waiting for a seat in appear once you get the seat.": (
        "Suscríbete una vez y tu calendario mostrará las sesiones que has reservado o elegido "
        "en este encuentro. Recoge todos los cambios: una sesión movida, cancelada o recién "
        "reservada aparece sola la próxima vez que se actualice tu calendario (normalmente en "
        "menos de una hora). Las sesiones en cuya lista de espera estás aparecen cuando "
        "consigues la plaza."
    ),
    "Subscribe to my agenda": "Suscribirme a mi agenda",
    "Download my agenda (.ics)": "Descargar mi agenda (.ics)",
    "Or copy this address into your calendar app (“add calendar from URL”):": (
        "O copia esta dirección en tu aplicación de calendario («añadir calendario desde URL»):"
    ),
    "This link is private: anyone who has it can see your agenda. Don't share it. If it "
    "leaks, get a new private link and subscribe again; the old one stops working.": (
        "Este enlace es privado: quien lo tenga puede ver tu agenda. No lo compartas. Si se "
        "filtra, pide un nuevo enlace privado y vuelve a suscribirte; el anterior deja de "
        "funcionar."
    ),
    # Agenda pages
    "Agenda": "Agenda",
    "Next up": "Próximas sesiones",
    "See the full agenda": "Ver la agenda completa",
    "Speakers": "Ponentes",
    "The agenda will be published soon.": "La agenda se publicará pronto.",
    "Open the agenda board": "Abrir el tablero de la agenda",
    "Days": "Días",
    "Filter the agenda": "Filtrar la agenda",
    "Track": "Línea temática",
    "All tracks": "Todas las líneas",
    "All rooms": "Todas las salas",
    "Kind": "Tipo",
    "All kinds": "Todos los tipos",
    "Filter": "Filtrar",
    "Clear": "Quitar filtros",
    "No sessions match these filters on this day.": (
        "Ninguna sesión de este día cumple estos filtros."
    ),
    "No sessions on this day yet.": "Todavía no hay sesiones este día.",
    "Draft: only organizers can see this session.": (
        "Borrador: solo la organización puede ver esta sesión."
    ),
    "Not scheduled yet": "Aún sin programar",
    "To be announced": "Por anunciar",
    "Seats": "Plazas",
    "booking needed": "requiere reserva",
    "Abstract": "Resumen",
    "Sessions": "Sesiones",
    "No speakers announced yet.": "Todavía no se han anunciado ponentes.",
    "l j F Y, H:i": "l j \\d\\e F \\d\\e Y, H:i",
    # Events models
    "%(value)s is not an IANA time zone name.": (
        "%(value)s no es el nombre de una zona horaria IANA."
    ),
    "Cluster": "Clúster",
    "Company": "Empresa",
    "Public body": "Organismo público",
    "Federation": "Federación",
    "Other": "Otro",
    "short name": "nombre corto",
    "region": "comunidad autónoma",
    "website": "sitio web",
    "organization": "organización",
    "organizations": "organizaciones",
    "address": "dirección",
    "city": "ciudad",
    "country": "país",
    "venue": "sede",
    "venues": "sedes",
    "Seats; empty means unknown.": "Plazas; vacío significa desconocido.",
    "room": "sala",
    "rooms": "salas",
    "description": "descripción",
    "first day": "primer día",
    "last day": "último día",
    "time zone": "zona horaria",
    "language": "idioma",
    "Language of the emails sent to participants.": (
        "Idioma de los correos que se envían a los participantes."
    ),
    "registration opens": "apertura de inscripciones",
    "registration closes": "cierre de inscripciones",
    "Empty means unlimited.": "Vacío significa sin límite.",
    "registrations need approval": "las inscripciones requieren aprobación",
    "contact email": "correo de contacto",
    "participating organizations": "organizaciones participantes",
    "meeting": "encuentro",
    "meetings": "encuentros",
    "The last day cannot be before the first day.": (
        "El último día no puede ser anterior al primero."
    ),
    "Registration must close after it opens.": (
        "El cierre de inscripciones debe ser posterior a la apertura."
    ),
    "Organizer": "Organizador/a",
    "Check-in staff": "Personal de acreditación",
    "meeting organizer": "organizador del encuentro",
    "meeting organizers": "organizadores del encuentro",
    # Events pages
    "Draft: only organizers can see this page.": (
        "Borrador: solo la organización puede ver esta página."
    ),
    "Meetings": "Encuentros",
    "Intercluster meetings": "Encuentros Intercluster",
    "Upcoming": "Próximos",
    "No upcoming meetings are published yet.": "Todavía no hay próximos encuentros publicados.",
    "Past meetings": "Encuentros anteriores",
    "j F Y": "j \\d\\e F \\d\\e Y",
    "j F": "j \\d\\e F",
    # Registrations admin and models
    "last error": "último error",
    "Retry sending the selected emails": "Reintentar el envío de los correos seleccionados",
    "As typed by the participant when it is not a known organization.": (
        "Tal como la escribió el participante, si no es una organización conocida."
    ),
    "consented to processing at": "consentimiento al tratamiento el",
    "consent text version": "versión del texto de consentimiento",
    "appears in the participants' list": "visibilidad en la lista de participantes",
    "checked in at": "acreditado el",
    "cancelled at": "cancelada el",
    "recipient": "destinatario",
    "outbox message": "mensaje saliente",
    "outbox messages": "mensajes salientes",
    # Site
    "Page not found": "Página no encontrada",
    "This page does not exist, or it is not public (yet).": (
        "Esta página no existe o (todavía) no es pública."
    ),
    "Admin": "Administración",
    "Server error": "Error del servidor",
    "Something went wrong": "Algo ha fallado",
    "The error has been logged. Please try again in a moment.": (
        "El error ha quedado registrado. Vuelve a intentarlo dentro de un momento."
    ),
    # Board session form and admin
    "Title": "Título",
    "Ends at": "Termina",
    "Capacity": "Aforo",
    "Needs booking": "Requiere reserva",
    "File": "Archivo",
    "CSV or JSON, columns as in docs/agenda-import.md.": (
        "CSV o JSON, con las columnas de docs/agenda-import.md."
    ),
    "Cancel the selected sessions": "Cancelar las sesiones seleccionadas",
    "Restore the selected cancelled sessions": "Restaurar las sesiones canceladas seleccionadas",
    "Registrations": "Inscripciones",
    "Counts for %(meeting)s: per organisation, region and session": (
        "Recuento de %(meeting)s: por organización, comunidad autónoma y sesión"
    ),
    "Organisations (active)": "Organizaciones (activas)",
    "Regions (active)": "Comunidades autónomas (activas)",
    "Session": "Sesión",
    "seat counts\x04Booked": "Reservadas",
    "seat counts\x04Waitlisted": "En lista de espera",
    "Organizer login": "Acceso para organizadores",
    # Workspace: speakers and tracks, the board's form, review fixes
    "Cancelled. To bring it back, use “Restore…” on its card on the board.": (
        "Cancelada. Para recuperarla, usa «Restaurar…» en su tarjeta del tablero."
    ),
    "To cancel it, use “Cancel session…” on its card on the board: it says who will be "
    "emailed first.": "Para cancelarla, usa «Cancelar sesión…» en su tarjeta del tablero: "
    "antes dice a quién se escribirá.",
    "Left empty, it is made from the name.": "Si lo dejas vacío, se crea a partir del nombre.",
    "The name makes no slug; type one (letters, numbers, hyphens).": (
        "Del nombre no sale un identificador; escribe uno (letras, números, guiones)."
    ),
    "Slug": "Identificador",
    "(none)": "(ninguna)",
    "Biography": "Biografía",
    "Email (private)": "Correo electrónico (privado)",
    "Only organizers see it: never on public pages, feeds or the API.": (
        "Solo lo ve la organización: nunca en páginas públicas, calendarios ni en la API."
    ),
    "Colour": "Color",
    "Position": "Posición",
    "Tracks are listed by position, then by name.": (
        "Las líneas se ordenan por posición y después por nombre."
    ),
    "choose a speaker…": "elige un ponente…",
    "Choose one of this meeting's speakers who is not in the session yet.": (
        "Elige un ponente de este encuentro que aún no esté en la sesión."
    ),
    "Role": "Papel",
    "Remove": "Quitar",
    "Nobody speaks in this session yet.": "Todavía no interviene nadie en esta sesión.",
    "Add to the session": "Añadir a la sesión",
    "New speaker…": "Nuevo ponente…",
    "Tracks": "Líneas temáticas",
    "who speaks, their organisation and sessions; the tracks' names and colours": (
        "quién interviene, su organización y sus sesiones; nombres y colores de las líneas"
    ),
    "New speaker": "Nuevo ponente",
    "Sessions are given on each session's page of the agenda board.": (
        "Las sesiones se asignan en la página de cada sesión del tablero de la agenda."
    ),
    "Add a speaker": "Añadir un ponente",
    "in no session": "en ninguna sesión",
    "No speakers yet.": "Todavía no hay ponentes.",
    "New track": "Nueva línea temática",
    "Add a track": "Añadir una línea temática",
    "No tracks yet.": "Todavía no hay líneas temáticas.",
    "Saved %(name)s.": "Guardado: %(name)s.",
    "%(speaker)s added to %(session)s.": "%(speaker)s añadido a %(session)s.",
    "%(speaker)s removed from %(session)s.": "%(speaker)s quitado de %(session)s.",
    "registered (meeting time)": "inscripción (hora del encuentro)",
    "waitlisted since (meeting time)": "en espera desde (hora del encuentro)",
    "(their personal link)": "(su enlace personal)",
    # Seat holds (issue 9)
    "hold seats until the email link is opened": (
        "reservar plazas hasta que se abra el enlace del correo"
    ),
    "With a capacity: a seat given to someone who has not opened their emailed link yet is "
    "only held for a while (SEAT_HOLD_MINUTES); unopened, it goes to the next person "
    "waiting.": "Con aforo: la plaza de quien aún no ha abierto el enlace del correo solo se "
    "reserva un tiempo (SEAT_HOLD_MINUTES); si no lo abre, pasa a la siguiente persona en "
    "espera.",
    "Hold seats until the emailed link is opened": (
        "Reservar plazas hasta que se abra el enlace del correo"
    ),
    "With a capacity: a seat given to someone who has not opened the link we email is only "
    "held for %(minutes)d minutes; unopened, it goes to the next person waiting.": "Con "
    "aforo: la plaza de quien no ha abierto el enlace que le enviamos solo se reserva "
    "%(minutes)d minutos; si no lo abre, pasa a la siguiente persona en espera.",
    "held until %(time)s: link not opened yet": (
        "reservada hasta las %(time)s: aún no ha abierto el enlace"
    ),
    "seat released: link not opened in time": "plaza liberada: no abrió el enlace a tiempo",
    "link first opened at": "enlace abierto por primera vez el",
    "seat held until": "plaza reservada hasta",
    "Too many registrations with addresses at %(domain)s in the last hour. Please try again "
    "later or write to the organizers.": "Demasiadas inscripciones con direcciones de "
    "%(domain)s en la última hora. Inténtalo más tarde o escribe a la organización.",
    "We held a seat at %(title)s for you, but your link was not opened in time, so the seat "
    "went to the next person waiting and your registration is cancelled.": "Te reservamos "
    "una plaza en %(title)s, pero tu enlace no se abrió a tiempo, así que la plaza pasó a la "
    "siguiente persona en espera y tu inscripción queda cancelada.",
    "If you still want to come, register again:": "Si aún quieres venir, vuelve a inscribirte:",
    "Your seat at %(title)s was released": "Se ha liberado tu plaza en %(title)s",
    "We held a seat for you, but this link was not opened in time, so the seat went to the "
    "next person and this registration is cancelled.": "Te reservamos una plaza, pero este "
    "enlace no se abrió a tiempo, así que la plaza pasó a la siguiente persona y esta "
    "inscripción queda cancelada.",
    "Register again": "Volver a inscribirse",
    "Thank you: your seat is confirmed.": "Gracias: tu plaza está confirmada.",
    # Hardening (issue 9)
    "Give a day between %(first)s and %(last)s.": "Indica un día entre el %(first)s y el %(last)s.",
    "External id %(external_id)s is already used by %(session)s.": (
        "El identificador externo %(external_id)s ya lo usa %(session)s."
    ),
    "External id %(external_id)s is already used in this meeting.": (
        "El identificador externo %(external_id)s ya se usa en este encuentro."
    ),
    "%(field)s must be text.": "%(field)s debe ser texto.",
    "This address is private: anyone who has it can see your agenda (but not change "
    "anything). Don't share it. If it leaks, get a new calendar address and subscribe "
    "again; the old one stops working.": "Esta dirección es privada: quien la tenga puede "
    "ver tu agenda (pero no cambiar nada). No la compartas. Si se filtra, pide una nueva "
    "dirección de calendario y vuelve a suscribirte; la anterior deja de funcionar.",
    "New calendar address": "Nueva dirección de calendario",
    "JSON parse error: the body is nested too deeply.": (
        "Error al leer el JSON: el cuerpo tiene demasiados niveles anidados."
    ),
    "Use an email address with a domain name, not an IP address.": (
        "Usa una dirección de correo con un nombre de dominio, no una dirección IP."
    ),
    "Your calendar has a new address. Subscribe again with the buttons below; the old "
    "address no longer works.": "Tu calendario tiene una nueva dirección. Vuelve a "
    "suscribirte con los botones de abajo; la dirección anterior ya no funciona.",
    "Too many failed logins": "Demasiados intentos fallidos",
    "Wait and try again, or ask an administrator to unlock the account. Each try while it "
    "is paused starts the wait again.": "Espera y vuelve a intentarlo, o pide a un "
    "administrador que desbloquee la cuenta. Cada intento durante la pausa vuelve a "
    "empezar la espera.",
    "Back to the login page": "Volver a la página de acceso",
    # Organizer workspace: registration settings
    "People who can be confirmed; empty means no limit.": (
        "Personas que pueden confirmarse; vacío significa sin límite."
    ),
    "Registrations need approval": "Las inscripciones requieren aprobación",
    "Contact email": "Correo de contacto",
    "Participants' replies to our emails go here.": (
        "Aquí llegan las respuestas de los participantes a nuestros correos."
    ),
    "Registration settings": "Ajustes de inscripción",
    "when registration opens and closes, capacity, approval, contact address": (
        "cuándo abre y cierra la inscripción, aforo, aprobación, dirección de contacto"
    ),
    "Raising the capacity gives the new seats to the people waiting, in order, and tells "
    "them.": "Al aumentar el aforo, las nuevas plazas pasan por orden a las personas en "
    "espera, que reciben un aviso.",
    "Nothing changed.": "No ha cambiado nada.",
    "Registration settings saved.": "Ajustes de inscripción guardados.",
    # Organizer workspace (issue 8): navigation, log in
    "Organizer workspace": "Espacio de organización",
    "Dashboard": "Panel",
    "Participants": "Participantes",
    "Messages": "Mensajes",
    "Your meetings": "Tus encuentros",
    "You organize no meeting yet. An administrator gives you the organizer role on a meeting.": (
        "Todavía no organizas ningún encuentro. Es un administrador quien te da el rol de "
        "organizador en un encuentro."
    ),
    "Log in": "Iniciar sesión",
    "Log out": "Cerrar sesión",
    "For organizers and check-in staff. Participants need no account: their private link "
    "is in their confirmation email.": (
        "Para organizadores y personal de acreditación. Los participantes no necesitan cuenta: "
        "su enlace privado está en su correo de confirmación."
    ),
    "Username": "Nombre de usuario",
    "Password": "Contraseña",
    # Organizer workspace (issue 8): dashboard
    "Registrations at a glance": "Inscripciones de un vistazo",
    "Seats left": "Plazas libres",
    "no limit": "sin límite",
    "Registrations over time": "Evolución de las inscripciones",
    "D j M": "D j b",
    "j M": "j b",
    "total": "total",
    "new that day": "nuevas ese día",
    "running total": "total acumulado",
    "days in": "días en horario",
    "The numbers": "Las cifras",
    "Day": "Día",
    "New": "Nuevas",
    "Total": "Total",
    "Nobody has registered yet.": "Todavía no se ha inscrito nadie.",
    "By status": "Por estado",
    "By region": "Por comunidad autónoma",
    "Pending, confirmed and waitlisted people.": (
        "Personas pendientes, confirmadas y en lista de espera."
    ),
    "Nobody yet.": "Nadie todavía.",
    "By kind of organisation": "Por tipo de organización",
    "Not given": "Sin indicar",
    "Not a listed organisation": "Organización fuera de la lista",
    "The meeting": "El encuentro",
    "Seats and waitlists": "Plazas y listas de espera",
    "What": "Qué",
    "Taken": "Ocupadas",
    "Left": "Libres",
    "Waiting": "En espera",
    "No session needs booking.": "Ninguna sesión requiere reserva.",
    "Emails": "Correos",
    "emails\x04Sent": "Enviados",
    "emails\x04Pending": "Pendientes",
    "emails\x04Failed": "Fallidos",
    "Waiting to be sent": "Pendientes de envío",
    "To": "Para",
    "Why it failed": "Motivo del fallo",
    "Last try": "Último intento",
    "Send again": "Reenviar",
    "No email has failed.": "No ha fallado ningún correo.",
    "Nothing to send again.": "No hay nada que reenviar.",
    "Everything else": "Todo lo demás",
    "search, approve, reject, promote, cancel, resend links, export": (
        "buscar, aprobar, rechazar, pasar de la lista de espera, cancelar, reenviar enlaces, "
        "exportar"
    ),
    "write to all participants or to some of them": (
        "escribir a todos los participantes o solo a algunos"
    ),
    "sessions, rooms, times, publishing, import": (
        "sesiones, salas, horarios, publicación, importación"
    ),
    "Cancel the meeting…": "Cancelar el encuentro…",
    "asks first and says how many people will be emailed": (
        "pide confirmación antes y dice a cuántas personas se escribirá"
    ),
    "Public page": "Página pública",
    "Registration form": "Formulario de inscripción",
    # Organizer workspace (issue 8): confirmations (sessions, the meeting)
    "Nobody will be emailed.": "No se escribirá a nadie.",
    "Go back": "Volver",
    "Restore…": "Restaurar…",
    "Cancel session…": "Cancelar la sesión…",
    "%(status)s: %(session)s.": "%(status)s: %(session)s.",
    "Cancel %(session)s?": "¿Cancelar %(session)s?",
    "The session stays on the agenda marked as cancelled, its room is freed, and the "
    "calendars of the people below remove it.": (
        "La sesión sigue en la agenda marcada como cancelada, su sala queda libre y desaparece "
        "de los calendarios de las personas que aparecen abajo."
    ),
    "Cancel the session": "Cancelar la sesión",
    "Restore %(session)s?": "¿Restaurar %(session)s?",
    "The session is confirmed again, in its room and time if still free.": (
        "La sesión vuelve a estar confirmada, en su sala y a su hora si siguen libres."
    ),
    "Restore the session": "Restaurar la sesión",
    "This meeting is already cancelled.": "Este encuentro ya está cancelado.",
    "The meeting is cancelled; everyone registered is told.": (
        "El encuentro está cancelado; se avisa a todas las personas inscritas."
    ),
    "Cancel %(meeting)s?": "¿Cancelar %(meeting)s?",
    "The meeting's page says it is cancelled, registration closes, and everyone registered "
    "(pending, confirmed or waitlisted) gets a cancellation with a calendar update.": (
        "La página del encuentro indica que está cancelado, la inscripción se cierra y todas "
        "las personas inscritas (pendientes, confirmadas o en lista de espera) reciben un "
        "aviso de cancelación con una actualización del calendario."
    ),
    "Cancel the meeting": "Cancelar el encuentro",
    # Organizer workspace (issue 8): participants
    "Search": "Buscar",
    "any": "cualquiera",
    "Waitlists, in order": "Listas de espera, por orden",
    "Export": "Exportar",
    "With the selected people": "Con las personas seleccionadas",
    "choose an action…": "elige una acción…",
    "Select at least one person.": "Selecciona al menos una persona.",
    "Some of the selected people are not registered here.": (
        "Algunas de las personas seleccionadas no están inscritas en este encuentro."
    ),
    "Reason for a rejection (quoted in the emails)": (
        "Motivo del rechazo (se cita en los correos)"
    ),
    "Reason (quoted in the email)": "Motivo (se cita en el correo)",
    "Continue…": "Continuar…",
    "You will see who is emailed before anything is done.": (
        "Verás a quién se escribe antes de que se haga nada."
    ),
    "Select": "Seleccionar",
    "Name": "Nombre",
    "Registered at": "Fecha de inscripción",
    "Check-in": "Acreditación",
    "Actions": "Acciones",
    "Select %(name)s": "Seleccionar a %(name)s",
    "checked in at %(when)s": "acreditado el %(when)s",
    "not yet": "todavía no",
    "Nobody matches.": "No hay coincidencias.",
    "Pages": "Páginas",
    "Previous": "Anterior",
    "Page %(number)s of %(count)s": "Página %(number)s de %(count)s",
    "Next": "Siguiente",
    "Approve": "Aprobar",
    "Move into a seat": "Pasar a una plaza",
    "Cancel": "Cancelar",
    "Resend the private link": "Reenviar el enlace privado",
    "Confirm": "Confirmar",
    "%(action)s: please confirm": "%(action)s: confirma la acción",
    "People waiting for a seat in a session that a cancelled person leaves move up and are "
    "told as well.": (
        "Las personas en espera de plaza en una sesión que deja libre una persona cancelada "
        "avanzan y también reciben un aviso."
    ),
    "Reason quoted in the emails:": "Motivo que se cita en los correos:",
    "%(action)s and send the emails": "%(action)s y enviar los correos",
    "Back, change nothing": "Volver sin cambiar nada",
    "Back": "Volver",
    "Waitlists": "Listas de espera",
    "All participants": "Todos los participantes",
    "Waiting since": "En espera desde",
    "Nobody is waiting.": "No hay nadie en espera.",
    "%(booked)s of %(capacity)s seats taken": "%(booked)s de %(capacity)s plazas ocupadas",
    "%(name)s is approved; the meeting is full, so they are on the waitlist and have been "
    "emailed.": (
        "Se ha aprobado a %(name)s; el encuentro está completo, así que queda en la lista de "
        "espera y se le ha enviado un correo."
    ),
    "%(name)s is approved, has a seat and has been emailed.": (
        "Se ha aprobado a %(name)s, tiene plaza y se le ha enviado un correo."
    ),
    "%(name)s is rejected and has been emailed.": (
        "Se ha rechazado a %(name)s y se le ha enviado un correo."
    ),
    "%(name)s has moved from the waitlist into a seat and has been emailed.": (
        "%(name)s ha pasado de la lista de espera a una plaza y se le ha enviado un correo."
    ),
    "The registration of %(name)s is cancelled and they have been emailed.": (
        "La inscripción de %(name)s está cancelada y se le ha enviado un correo."
    ),
    "%(name)s has been emailed their private link again.": (
        "Se ha reenviado a %(name)s su enlace privado por correo."
    ),
    "Nothing changed for %(name)s: %(reason)s": "No ha cambiado nada para %(name)s: %(reason)s",
    "%(action)s: %(done)d done, %(refused)d refused.": (
        "%(action)s: %(done)d realizadas, %(refused)d denegadas."
    ),
    "registered at": "fecha de inscripción",
    "This registration is already cancelled.": "Esta inscripción ya está cancelada.",
    "This registration was rejected: there is nothing to cancel.": (
        "Esta inscripción se rechazó: no hay nada que cancelar."
    ),
    "The organizers wrote:": "La organización ha escrito:",
    # Organizer workspace (issue 8): messages to participants
    "Messages to participants": "Mensajes a los participantes",
    "Write a message": "Escribir un mensaje",
    "Subject": "Asunto",
    "Message": "Mensaje",
    "Plain text; line breaks are kept. The email adds the meeting's title, the person's "
    "private link and your contact address.": (
        "Texto sin formato; se mantienen los saltos de línea. El correo añade el título del "
        "encuentro, el enlace privado de cada persona y tu dirección de contacto."
    ),
    "Registration status": "Estado de la inscripción",
    "Choose at least one registration status.": "Elige al menos un estado de inscripción.",
    "Session booked": "Sesión reservada",
    "Any (booked or not)": "Cualquiera (con reserva o sin ella)",
    "Any region": "Cualquier comunidad autónoma",
    "Write the message.": "Escribe el mensaje.",
    "Who receives it": "Quién lo recibe",
    "Preview": "Vista previa",
    "Nothing is sent before you confirm on the next page.": (
        "No se envía nada hasta que confirmes en la página siguiente."
    ),
    "Change the message": "Cambiar el mensaje",
    "The email as %(name)s will see it": "El correo tal como lo verá %(name)s",
    "Reply to": "Responder a",
    "HTML version": "Versión HTML",
    "Recipients": "Destinatarios",
    "Audience": "Público",
    "booked": "con reserva",
    "Delivered": "Entregados",
    "No message has been sent yet.": "Todavía no se ha enviado ningún mensaje.",
    "Sent on %(when)s": "Enviado el %(when)s",
    "Still sending: this page refreshes itself every few seconds.": (
        "Aún se está enviando: esta página se actualiza sola cada pocos segundos."
    ),
    "The message": "El mensaje",
    "Recipient": "Destinatario",
    "Sent at": "Fecha de envío",
    "Last error": "Último error",
    "Nobody matches this audience: change the filters.": (
        "Nadie cumple estos criterios: cambia los filtros."
    ),
    "Nobody matches this audience: no message was sent.": (
        "Nadie cumple estos criterios: no se ha enviado ningún mensaje."
    ),
    "The preview was incomplete: check it again.": (
        "La vista previa estaba incompleta: vuelve a revisarla."
    ),
    "This message had already been sent; it was not sent again.": (
        "Este mensaje ya se había enviado; no se ha vuelto a enviar."
    ),
    "This confirmation is not valid any more: preview again.": (
        "Esta confirmación ya no es válida: vuelve a abrir la vista previa."
    ),
    "Choose a session of this meeting.": "Elige una sesión de este encuentro.",
    "Use one line of plain text: no line breaks, control characters or invisible direction "
    "marks.": (
        "Usa una sola línea de texto sin formato: sin saltos de línea, caracteres de control "
        "ni marcas invisibles de dirección."
    ),
    "subject": "asunto",
    "message": "mensaje",
    "registration statuses": "estados de inscripción",
    "session booked": "sesión reservada",
    "message to participants": "mensaje a los participantes",
    "messages to participants": "mensajes a los participantes",
    "A message from the organizers of %(title)s": "Un mensaje de la organización de %(title)s",
    "You receive this email because you are registered for %(title)s.": (
        "Recibes este correo porque tienes una inscripción en %(title)s."
    ),
    # Regions as a list (issue 8); the regions' own names are proper names
    "Other country": "Otro país",
    "Choose a region from the list.": "Elige una comunidad autónoma de la lista.",
    "region as typed before the list": "comunidad autónoma tal como se escribió antes de la lista",
    "Kept from when region was free text, because it named none of the regions. Choose the "
    "region that fits.": (
        "Se conserva de cuando la comunidad autónoma era texto libre, porque no correspondía a "
        "ninguna. Elige la que corresponda."
    ),
    "“{input}” is not a region we know. Send one of the codes of the region enum in the "
    "API schema (/api/schema/, listed in docs/api.md), e.g. “ES-NC”, or a region's name "
    "such as “Navarra”; send an empty string for none.": (
        "«{input}» no es una comunidad autónoma que conozcamos. Envía uno de los códigos del "
        "enum region del esquema de la API (/api/schema/, listados en docs/api.md), p. ej. "
        "«ES-NC», o el nombre de una comunidad como «Navarra»; envía una cadena vacía si no "
        "hay ninguna."
    ),
    # Meeting times in the meeting's zone (admin)
    "Registration opens": "Apertura de inscripciones",
    "Registration closes": "Cierre de inscripciones",
    "%(time)s does not exist in %(zone)s (the clocks go forward then).": (
        "%(time)s no existe en %(zone)s (a esa hora se adelantan los relojes)."
    ),
    "In %(zone)s time.": "En hora de %(zone)s.",
}

ES_PLURAL = {
    "%(counter)s person waiting moves into a free seat first and will be told too:": [
        "%(counter)s persona en espera pasa antes a una plaza libre y también recibirá un aviso:",
        "%(counter)s personas en espera pasan antes a plazas libres y también recibirán un aviso:",
    ],
    "%(counter)s seat in a session goes to the person waiting first, who will be told too:": [
        "%(counter)s plaza de una sesión pasa a la primera persona en espera, que también "
        "recibirá un aviso:",
        "%(counter)s plazas de sesiones pasan a las primeras personas en espera, que también "
        "recibirán un aviso:",
    ],
    "%(counter)s email in all.": ["%(counter)s correo en total.", "%(counter)s correos en total."],
    "We hold this seat for you for %(minutes)s minute: open the link below to keep it. If it "
    "is not opened in time, the seat goes to the next person waiting.": [
        "Te reservamos esta plaza %(minutes)s minuto: abre el enlace de abajo para "
        "conservarla. Si no se abre a tiempo, la plaza pasa a la siguiente persona en espera.",
        "Te reservamos esta plaza %(minutes)s minutos: abre el enlace de abajo para "
        "conservarla. Si no se abre a tiempo, la plaza pasa a la siguiente persona en espera.",
    ],
    "This username has had too many wrong passwords from your address, so logging in with "
    "it from here is paused for %(minutes)s minute.": [
        "Este usuario ha tenido demasiadas contraseñas incorrectas desde tu dirección, así "
        "que el acceso con él desde aquí queda en pausa %(minutes)s minuto.",
        "Este usuario ha tenido demasiadas contraseñas incorrectas desde tu dirección, así "
        "que el acceso con él desde aquí queda en pausa %(minutes)s minutos.",
    ],
    "%(counter)s session": ["%(counter)s sesión", "%(counter)s sesiones"],
    "%(count)d email queued again.": [
        "%(count)d correo en cola de nuevo.",
        "%(count)d correos en cola de nuevo.",
    ],
    "%(seats)s seat left": ["Queda %(seats)s plaza", "Quedan %(seats)s plazas"],
    "Please wait %(seconds)s second and try again.": [
        "Espera %(seconds)s segundo e inténtalo de nuevo.",
        "Espera %(seconds)s segundos e inténtalo de nuevo.",
    ],
    "%(counter)s organisation taking part": [
        "%(counter)s organización participa",
        "%(counter)s organizaciones participan",
    ],
    # Organizer workspace (issue 8)
    "This will email %(count)s person.": [
        "Se escribirá a %(count)s persona.",
        "Se escribirá a %(count)s personas.",
    ],
    "…and %(more)s more.": ["…y %(more)s más.", "…y %(more)s más."],
    "New registrations on %(days)s day (bars, left axis) and the running total (line, "
    "right axis).": [
        "Nuevas inscripciones en %(days)s día (barras, eje izquierdo) y total acumulado "
        "(línea, eje derecho).",
        "Nuevas inscripciones en cada uno de los %(days)s días (barras, eje izquierdo) y "
        "total acumulado (línea, eje derecho).",
    ],
    "Send the failed email again": [
        "Reenviar el correo fallido",
        "Reenviar los %(count)s correos fallidos",
    ],
    "Send to %(count)s person": ["Enviar a %(count)s persona", "Enviar a %(count)s personas"],
    "%(counter)s person": ["%(counter)s persona", "%(counter)s personas"],
    "%(counter)s person will be emailed:": [
        "Se escribirá a %(counter)s persona:",
        "Se escribirá a %(counter)s personas:",
    ],
    "%(counter)s person waiting moves into a freed seat and will be told too:": [
        "%(counter)s persona en espera pasa a una plaza liberada y también recibirá un aviso:",
        "%(counter)s personas en espera pasan a plazas liberadas y también recibirán un aviso:",
    ],
    "%(counter)s selected person is left as they are:": [
        "%(counter)s persona seleccionada se queda como está:",
        "%(counter)s personas seleccionadas se quedan como están:",
    ],
    "Your message is on its way to %(count)d person.": [
        "Tu mensaje va de camino a %(count)d persona.",
        "Tu mensaje va de camino a %(count)d personas.",
    ],
    "The audience has changed since the preview: it is now %(count)d person. Check the "
    "preview again; nothing was sent.": [
        "Los destinatarios han cambiado desde la vista previa: ahora es %(count)d persona. "
        "Vuelve a revisar la vista previa; no se ha enviado nada.",
        "Los destinatarios han cambiado desde la vista previa: ahora son %(count)d "
        "personas. Vuelve a revisar la vista previa; no se ha enviado nada.",
    ],
}


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill(block: str) -> str:
    fields: dict[str, str] = {}
    current = None
    for line in block.split("\n"):
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
        if match:
            current = match.group(1)
            fields[current] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and current:
            fields[current] += ast.literal_eval(line)
    msgid = fields.get("msgid")
    if not msgid:
        return block
    # A string with a context is looked up as "context\x04msgid", as gettext does.
    context = fields.get("msgctxt")
    key = f"{context}\x04{msgid}" if context is not None else msgid
    start = [f"msgctxt {quote(context)}"] if context is not None else []
    head = [line for line in block.split("\n") if line.startswith("#")]
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in head)
    if fuzzy:  # a guess by makemessages: translate it afresh
        fields.pop("msgstr", None)
        fields.pop("msgstr[0]", None)
        head = [
            line.replace("fuzzy, ", "").replace(", fuzzy", "")
            for line in head
            if not line.startswith("#|") and line != "#, fuzzy"
        ]
    if "msgid_plural" in fields:
        forms = ES_PLURAL.get(key)
        if not forms:
            return block
        body = start + [f"msgid {quote(msgid)}", f"msgid_plural {quote(fields['msgid_plural'])}"]
        # Spanish in Django has three forms: one, millions ("de"), other.
        forms = [forms[0], forms[1], forms[1]]
        body += [f"msgstr[{i}] {quote(form)}" for i, form in enumerate(forms)]
    else:
        if key not in ES:
            return block
        body = start + [f"msgid {quote(msgid)}", f"msgstr {quote(ES[key])}"]
    return "\n".join(head + body)


def main() -> None:
    text = PO.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    # The header block stays as makemessages wrote it, without the fuzzy mark.
    blocks[0] = blocks[0].replace("#, fuzzy\n", "")
    PO.write_text("\n\n".join([blocks[0]] + [fill(b) for b in blocks[1:]]), encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)


if __name__ == "__main__":
    main()
