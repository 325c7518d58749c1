# Participá: consultas y propuestas
section-have-a-say = Participá
say-intro = Opiná sobre lo que decide la municipalidad y proponé ideas para tu barrio. Para votar o apoyar, entrá con tu cuenta.
say-consultations = Consultas
say-no-consultations = Por ahora no hay consultas.
say-proposals = Propuestas de vecinas y vecinos
say-no-proposals = Todavía no hay propuestas.
say-write = Escribir una propuesta
say-write-heading = Tu propuesta para la municipalidad
say-proposal-short = Contá un poco más: la propuesta necesita al menos 10 letras.
say-proposal-published = Tu propuesta quedó publicada. Cuando junte los apoyos necesarios, la municipalidad la tiene que responder.
say-proposal-held = Recibimos tu propuesta. Una persona del equipo la va a revisar antes de publicarla.
say-opens-at = Abre el { $when }
say-closed-label = Cerrada
say-closes-in-days = Abierta · cierra en { $count } días
say-closes-in-hours = Abierta · cierra en { $count ->
    [one] 1 hora
   *[other] { $count } horas
}
say-closes-in-minutes = Abierta · cierra en { $count ->
    [one] 1 minuto
   *[other] { $count } minutos
}
say-you-voted = Ya votaste en esta consulta.
say-scope-everyone = Todo el municipio
say-scope-neighbourhoods = Barrios: { $names }
say-who-verified = votan vecinas y vecinos verificados
say-who-any-account = vota cualquier cuenta
say-choose-one = Elegí una opción.
say-choose-up-to = Elegí hasta { $count } opciones.
say-vote = Votar
say-confirm = Vas a votar por: { $choices }
say-confirm-final = ¿Confirmás tu voto? Después no se puede cambiar. El voto es secreto: nadie puede ver qué elegiste.
say-change = Cambiar
say-confirm-vote = Sí, votar
say-vote-recorded = Tu voto quedó registrado. ¡Gracias por participar!
say-results-final = Resultados finales
say-results-live = Resultados hasta ahora
say-results-later = Los resultados se muestran cuando cierra la consulta.
say-ballots = { $count ->
    [one] 1 voto en total
   *[other] { $count } votos en total
}
say-option-votes = { $option }: { $count ->
    [one] 1 voto
   *[other] { $count } votos
} ({ $share } %)
say-any-account-note = Votó cualquier cuenta, también sin verificar.
say-turnout = Participación por barrio
say-not-verified-voters = Cuentas sin verificar
say-suppressed = pocas personas (no se muestra)
say-official-answer = Respuesta de la municipalidad ({ $when })
say-status-evaluating = En evaluación
say-status-accepted = Aceptada
say-status-rejected = Rechazada
say-status-in-progress = En marcha
say-status-done = Hecha
say-supports = { $count } de { $threshold } apoyos
say-proposal-by = Propuesta de { $author } · { $neighbourhood } · { $when }
say-support = Apoyar esta propuesta
say-you-support = Apoyás esta propuesta.
say-supported = ¡Listo! Sumaste tu apoyo.
say-awaiting-answer = Juntó los apoyos necesarios: la municipalidad tiene que responderla.
say-offline-body = Las consultas y propuestas necesitan conexión con el servidor del municipio, y ahora mismo no la hay.
say-not-verified = Para esto tenés que ser vecina o vecino verificado. Pedíselo al personal del centro: miran tu DNI una sola vez y no lo guardan.
say-out-of-scope = Esta consulta es para vecinas y vecinos de otros barrios.
say-already-voted = Ya votaste en esta consulta: se cuenta un voto por persona.
say-closed = Esta consulta ya cerró.
say-not-open = Esta consulta todavía no abrió.
say-invalid-choices = Revisá las opciones elegidas.
say-already-supported = Ya apoyás esta propuesta.
say-sign-in-first = Para votar o apoyar, entrá con tu cuenta o creá una. Tu elección te espera.
