# Participation screens: citizen accounts, forums, communities.

## Account

account-tab-sign-up = Crear cuenta
account-tab-log-in = Ya tengo cuenta
account-sign-up-title = Crea tu cuenta en un minuto
account-log-in-title = Entra con tu alias y tu PIN
account-privacy = Solo pedimos un alias y un PIN. Nada de correo ni documentos.
account-alias = Alias
account-alias-placeholder = Tu alias
account-pin = PIN
account-pin-placeholder = PIN de 4 a 8 números
account-rules = El alias tiene de { $alias_min } a { $alias_max } letras, números, espacios, puntos, guiones o guiones bajos. El PIN tiene de { $pin_min } a { $pin_max } números.
account-create = Crear mi cuenta
account-enter = Entrar
account-sign-in = Entrar o crear cuenta
account-signed-in-as = Conectado como { $alias }
account-log-out = Salir de mi cuenta
account-logged-out = Saliste de tu cuenta.
account-welcome = Hola, { $alias }. Ya puedes escribir.
account-alias-too-short = El alias es demasiado corto: necesita al menos 3 caracteres.
account-alias-too-long = El alias es demasiado largo: como máximo 24 caracteres.
account-alias-characters = El alias solo puede tener letras, números, espacios sueltos, puntos, guiones y guiones bajos.
account-alias-letter = El alias necesita al menos una letra.
account-alias-taken = Ese alias ya lo usa otra persona. Elige otro.
account-alias-reserved = Ese alias está reservado para el personal municipal. Elige otro.
account-alias-word = Ese alias contiene una palabra no permitida. Elige otro.
account-pin-rules = El PIN debe tener de 4 a 8 números.
account-wrong = El alias o el PIN no son correctos.
account-locked = Esta cuenta está bloqueada por demasiados PIN incorrectos. Prueba otra vez a las { $time }.
account-session-over = Esta sesión ya terminó. Empieza una nueva para entrar.
account-login-ended = Tu entrada terminó. Vuelve a entrar con tu alias y tu PIN.

## Forums

forums-loading = Cargando…
forums-boards-title = Foros del municipio
forums-topic-boards = Por tema
forums-neighbourhood-boards = Por barrio
forums-no-boards = Todavía no hay foros.
forums-thread-count = { $count ->
    [one] 1 conversación
   *[other] { $count } conversaciones
}
forums-new-thread = Nueva conversación
forums-sign-in-to-write = Para escribir, entra o crea una cuenta.
forums-sign-in-first = Para escribir o denunciar, entra con tu cuenta o crea una.
forums-no-threads = Todavía no hay conversaciones. ¡Empieza la primera!
forums-thread-meta = { $author } · { $count ->
    [one] 1 mensaje
   *[other] { $count } mensajes
} · { $when }
forums-post-meta = { $author } · { $when }
forums-official = Oficial
forums-edited = editado
forums-more = Ver más
forums-reply = Responder
forums-edit = Editar
forums-delete = Borrar
forums-delete-confirm = ¿Borrar este mensaje?
forums-delete-yes = Sí, borrar
forums-deleted = Mensaje borrado.
forums-deleted-done = Tu mensaje se borró.
forums-under-review = Este mensaje está en revisión.
forums-under-review-mine = En revisión: solo tú lo ves por ahora.
forums-moderation-note = Motivo: { $reason }
forums-sent = Tu mensaje se publicó.
forums-held-for-review = Recibimos tu mensaje. Se publicará cuando el personal lo revise.
forums-rate-limited = Escribiste muchos mensajes en poco tiempo. Podrás volver a escribir a las { $time }. Tu texto está guardado.
forums-edit-window-closed = El tiempo para cambiar o borrar este mensaje ya pasó.
forums-send-offline = No hay conexión con el servidor del municipio. Tu texto está guardado: prueba otra vez en un momento.
forums-unexpected = Algo salió mal. Prueba otra vez en un momento.
forums-refused = No se pudo hacer: { $message }
forums-offline-title = Sin conexión
forums-offline-forums-body = Los foros necesitan conexión con el servidor del municipio, y ahora mismo no la hay.
forums-offline-communities-body = Las comunidades necesitan conexión con el servidor del municipio, y ahora mismo no la hay.
forums-offline-meanwhile = Mientras tanto, estas secciones funcionan sin conexión:
forums-offline-retry = Probar otra vez

## Composing

composer-new-thread = Nueva conversación en { $board }
composer-reply = Responder en «{ $thread }»
composer-edit = Editar tu mensaje
composer-title = Título
composer-title-placeholder = ¿De qué quieres hablar?
composer-body = Mensaje
composer-body-placeholder = Escribe aquí tu mensaje
composer-count = { $count } de { $max } caracteres
composer-send = Publicar
composer-retry = Reintentar
composer-title-short = El título necesita al menos 5 caracteres.
composer-empty = El mensaje está vacío.
composer-too-long = El mensaje es demasiado largo: como máximo 4000 caracteres.
composer-unsent = Tienes un mensaje sin enviar.
composer-open-unsent = Abrir el mensaje

osk-shift = Mayús
osk-shift-on = MAYÚS
osk-space = Espacio
osk-backspace = Borrar letra
osk-enter = Intro

## Reports

report-post = Denunciar
report-title = ¿Por qué denuncias este mensaje?
report-spam = Publicidad o spam
report-offensive = Ofensivo
report-off-topic = No corresponde a este foro
report-other = Otro motivo
report-details-placeholder = Cuéntanos el motivo
report-send = Enviar denuncia
report-already = Ya denunciaste este mensaje. Gracias.
report-thanks = Gracias. El personal revisará tu denuncia.
report-thanks-hidden = Gracias. El mensaje queda oculto hasta que el personal lo revise.

## Communities

community-directory-title = Comunidades del municipio
community-none = Todavía no hay comunidades.
community-members = { $count ->
    [one] 1 miembro
   *[other] { $count } miembros
}
community-category-neighbourhood = Asociación vecinal
community-category-producers = Productores
community-category-older-adults = Personas mayores
community-category-education = Educación
community-category-culture = Cultura
community-category-sports = Deporte
community-category-youth = Juventud
community-category-environment = Medio ambiente
community-category-health = Salud
community-category-other = Otra
community-you-are-member = Eres miembro
community-you-coordinate = Coordinas esta comunidad
community-waiting-approval = Esperando la aprobación de quien coordina.
community-needs-approval = Para unirte, quien coordina debe aprobarte.
community-join = Unirme
community-ask-to-join = Pedir unirme
community-leave = Salir de la comunidad
community-withdraw = Retirar la solicitud
community-sign-in-to-join = Entra para unirte
community-open-board = Foro de la comunidad
community-coordinators = Coordinan: { $names }
community-announcements = Anuncios
community-no-announcements = No hay anuncios.
community-events = Próximos eventos
community-no-events = No hay eventos próximos.
community-event-when = { $when } · { $place }
community-join-to-write = Únete a esta comunidad para escribir en su foro.

## Deleting one's account
account-erase = Eliminar mi cuenta
account-pin-wrong = El PIN no es correcto.
erase-title = Eliminar tu cuenta
erase-what-goes = Se borran tu alias, tus entradas y tus comunidades. No se puede deshacer.
erase-posts-question = ¿Qué hacemos con lo que escribiste?
erase-keep-unsigned = Dejarlo sin mi nombre
erase-remove-posts = Borrarlo también
erase-choose = Elige qué hacer con lo que escribiste.
erase-confirm = Eliminar mi cuenta
erase-done = Tu cuenta fue eliminada. Gracias por participar.
forums-deleted-account = cuenta eliminada
