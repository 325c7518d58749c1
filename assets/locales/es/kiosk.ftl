# Textos del quiosco Plaza que ve la ciudadanía (español, idioma por defecto).

attract-title = Plaza
attract-subtitle = Internet gratuito en tu barrio
attract-start = Toca aquí para empezar
attract-ended = Tu sesión terminó y se borró todo lo que hiciste.
staff = Personal

welcome-title = Elige tu idioma
language-es = Español
language-en = English
accessibility-title = ¿Cómo prefieres ver la pantalla?
large-text = Letra grande
high-contrast = Alto contraste
option-on = { $option }: sí
option-off = { $option }: no
continue = Continuar
back = Volver

privacy-title = Tu privacidad
privacy-body = Este quiosco no pide tu nombre ni tus documentos. Contamos de forma anónima qué secciones se usan, para mejorar el servicio. Al terminar la sesión se borra todo lo que escribiste y viste.
privacy-accept = Entendido

survey-title = Unas preguntas rápidas
survey-intro = Son opcionales y anónimas. Puedes saltarlas.
survey-age = Edad
age-under_18 = Menos de 18
age-18_29 = 18 a 29
age-30_44 = 30 a 44
age-45_59 = 45 a 59
age-60_74 = 60 a 74
age-75_plus = 75 o más
survey-gender = Género
gender-woman = Mujer
gender-man = Hombre
gender-non_binary = No binario
prefer-not-to-say = Prefiero no decirlo
survey-first-time = ¿Es la primera vez que usas internet?
answer-yes = Sí
answer-no = No
survey-neighbourhood = ¿En qué barrio vives?
survey-skip = Saltar
survey-send = Enviar

home-title = ¿Qué quieres hacer?
section-procedures = Trámites
section-tenders = Licitaciones
section-networks = Redes municipales
section-forums = Foros
section-communities = Comunidades
section-help = Ayuda
end-session = Terminar sesión

time-left = Tiempo: { $time }
offline = Sin conexión
warning-title = { $minutes ->
    [one] Queda 1 minuto
   *[other] Quedan { $minutes } minutos
}
warning-body = Guarda lo que necesites. Al terminar el tiempo se borrará todo.
more-time = Más tiempo
keep-going = Seguir
still-there-title = ¿Sigues ahí?
still-there-body = La sesión terminará en { $seconds } segundos.
still-here = Sigo aquí
supervisor-message-title = Mensaje del personal
ok = Aceptar
locked-title = Quiosco en mantenimiento
locked-body = Pide ayuda al personal del centro.

help-title = Ayuda
help-body = Toca un botón para abrirlo. Arriba ves el tiempo que te queda. Si necesitas ayuda, pregunta al personal del centro. Cuando termines, toca «Terminar sesión»: se borrará todo.
help-practice-title = Practica con el teclado
help-practice-placeholder = Escribe aquí

pin-title = PIN del personal
pin-placeholder = PIN
pin-enter = Entrar
pin-wrong = PIN incorrecto
cancel = Cancelar

# Mantenimiento (solo personal)
maintenance-title = Mantenimiento
maintenance-exit = Salir del quiosco
maintenance-reenrol = Volver a inscribir
maintenance-code-placeholder = Código de inscripción
maintenance-enrolled = Inscrito en { $centre }
maintenance-close = Cerrar
diag-manager = Gestor: { $url }
diag-kiosk = Quiosco: { $id }
diag-outbox = Eventos pendientes: { $count } (rechazados: { $dead })
diag-last-sync = Última sincronización: { $when }
diag-version = Versión: { $version }
diag-never = nunca
diag-not-enrolled = sin inscribir
diag-problem = Aviso: { $problem }

# Primera inscripción (solo personal)
enrol-title = Inscribir este quiosco
enrol-body = Escribe el código de inscripción que da el panel de gestión y comprueba la dirección del gestor.
enrol-code = Código
enrol-url = Gestor
enrol-code-placeholder = K7QM-2XWD-9HRT
enrol-submit = Inscribir
enrol-sending = Inscribiendo…
enrol-code-missing = Escribe el código de inscripción.
enrol-code-malformed = Ese código no tiene el formato correcto: son 12 letras y números, como K7QM-2XWD-9HRT.
enrol-code-unknown = Ese código no existe. Revísalo o pide uno nuevo en el panel de gestión.
enrol-code-used = Ese código ya se usó: cada código inscribe un solo quiosco. Pide uno nuevo.
enrol-code-expired = Ese código ha caducado. Pide uno nuevo en el panel de gestión.
enrol-unreachable = No se pudo contactar con el gestor. Revisa la dirección y la red, y vuelve a intentarlo.
enrol-bad-url = La dirección del gestor no es válida.
enrol-failed = No se pudo inscribir el quiosco.
