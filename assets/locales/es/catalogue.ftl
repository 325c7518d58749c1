# Catalogue screens: procedures, tenders, networks.

catalogue-home = Inicio

# Procedures: tiles and search
procedures-search-placeholder = Escribe qué trámite buscas, por ejemplo «licencia»
procedures-choose = Elige un tema o escribe arriba lo que buscas.
procedures-none-title = No encontramos trámites con esas palabras
procedures-none-body = Prueba con otras palabras, más cortas o sin abreviar, o elige uno de estos temas:
procedures-corrected = Mostramos resultados para «{ $words }».
procedures-count = { $count ->
    [one] 1 trámite
   *[other] { $count } trámites
}

# One procedure
procedure-what = Qué es
procedure-bring = Qué tienes que llevar
requirement-document = Documento
requirement-condition = Condición
procedure-cost = Cuánto cuesta
cost-free = Gratis
cost-varies = Depende: { $why }
procedure-where = Dónde y cuándo
hours-today = Hoy: { $hours }
hours-closed-today = Hoy no atiende
hours-open-now = Abierto ahora
hours-closed-now = Cerrado ahora
procedure-time = Cuánto tarda
procedure-steps = Paso a paso
procedure-other-ways = Otras formas de hacerlo
procedure-online = Puedes seguir desde tu teléfono: escanea el código con la cámara.
procedure-phone = Teléfono: { $number }
procedure-agency = Responsable: { $agency }
procedure-legal = Norma: { $law }
procedure-reviewed = Información revisada el { $date }

# Tenders
tenders-all = Todas
tender-status-open = Abiertas
tender-status-closed = Cerradas
tender-status-awarded = Adjudicadas
tender-status-cancelled = Canceladas
tenders-none = No hay licitaciones en esta lista.
tender-closes-in = { $days ->
    [0] Cierra hoy
    [one] Cierra mañana
   *[other] Cierra en { $days } días
}
tender-deadline-passed = El plazo para ofertar terminó
tender-is-closed = Cerrada: en evaluación
tender-is-awarded = Adjudicada
tender-is-cancelled = Cancelada
tender-reference = Expediente: { $value }
tender-buyer = Organismo: { $value }
tender-category = Tipo: { $value }
tender-published = Publicada el { $value }
tender-questions-until = Consultas hasta: { $value }
tender-submissions-until = Ofertas hasta: { $value }
tender-opening = Apertura de sobres: { $value }
tender-budget = Presupuesto oficial: { $value }
tender-award = Adjudicación
tender-supplier = Adjudicataria: { $value }
tender-amount = Monto: { $value }
tender-award-date = Fecha: { $value }
tender-documents = Documentos
tender-documents-scan = Escanea un código con tu teléfono para abrir el documento.

# Networks
networks-all = Todas
networks-none = No hay redes con este tema.
network-member-count = { $count ->
    [one] 1 municipio
   *[other] { $count } municipios
}
network-coordinator = Coordina: { $name }
network-members = Municipios miembros
network-joined = , desde el { $date }
network-join = Cómo se suma un municipio
network-contact = Contacto
contact-email = Correo: { $value }
contact-phone = Teléfono: { $value }
contact-website = Sitio web: { $value }

# Maintenance menu
diag-catalogue = { $version ->
    [0] Catálogo: todavía sin copia del gestor
   *[other] Catálogo: versión { $version }
}
