//! The pages of a reseller's accounts: customers, orders and their
//! actions and invoices, the ledger, and the outbox of mails sent.

use super::*;

pub(super) async fn customers(
    State(state): State<AppState>,
    session: Session,
    Query(asked): Query<Asked>,
) -> Response {
    let reseller = session.reseller(asked.reseller);
    let found = state
        .store
        .read(move |tx| {
            let found = tx.search_customers(&CustomerQuery {
                reseller_id: reseller,
                customer_ids: Vec::new(),
                usernames: Vec::new(),
                name: None,
                company: None,
                city: None,
                state: None,
                created_from: None,
                created_to: None,
                receipts_from: None,
                receipts_to: None,
                statuses: Vec::new(),
                page: Page {
                    records: 500,
                    number: 1,
                },
            })?;
            let mut rows = Vec::new();
            for c in found.records {
                let funds = tx.balance(Account::Customer(c.id))?;
                rows.push((c, funds));
            }
            Ok((found.total, rows))
        })
        .await;
    let (total, rows) = match found {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        p { (total) " customers" @if total > 500 { ", the first 500 shown" } "." }
        table {
            caption { "Customers of reseller " (reseller.0) }
            thead { tr { th scope="col" { "Id" } th scope="col" { "Username" } th scope="col" { "Name" } th scope="col" { "Company" } th scope="col" { "Status" } th scope="col" { "Funds (USD)" } } }
            tbody {
                @for (c, funds) in &rows {
                    tr {
                        td { (c.id.0) }
                        td { (c.username) }
                        td.name { (c.name) }
                        td { (c.company) }
                        td { (c.status.as_str()) }
                        td.num { (funds) }
                    }
                }
            }
        }
    };
    page(&session, "Customers", reseller, body)
}

pub(super) async fn orders(
    State(state): State<AppState>,
    session: Session,
    Query(asked): Query<Asked>,
) -> Response {
    let reseller = session.reseller(asked.reseller);
    let chosen = asked
        .product
        .as_deref()
        .filter(|p| !p.is_empty())
        .and_then(Product::from_key);
    let products = chosen.map_or_else(|| Product::ALL.to_vec(), |p| vec![p]);
    let found = state
        .store
        .read(move |tx| {
            Ok(tx.search_orders(&OrderQuery {
                reseller_id: reseller,
                products: products.clone(),
                order_ids: Vec::new(),
                customer_ids: Vec::new(),
                statuses: Vec::new(),
                plan_ids: Vec::new(),
                description: None,
                privacy_on: None,
                created_from: None,
                created_to: None,
                ends_from: None,
                ends_to: None,
                sort: OrderSort::OrderIdDesc,
                page: Page {
                    records: 500,
                    number: 1,
                },
            })?)
        })
        .await;
    let found = match found {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        form method="get" action="/console/orders" .inline {
            @if session.who == Who::Admin { input type="hidden" name="reseller" value=(reseller.0); }
            label for="product" { "Product" }
            select #product name="product" {
                option value="" { "Every product" }
                @for p in Product::ALL {
                    option value=(p.key()) selected[chosen == Some(p)] { (p.name()) }
                }
            }
            button type="submit" { "Show" }
        }
        p { (found.total) " orders" @if found.total > 500 { ", the newest 500 shown" } "." }
        table {
            caption { "Orders, newest first" }
            thead { tr { th scope="col" { "Order" } th scope="col" { "Product" } th scope="col" { "Name" } th scope="col" { "Customer" } th scope="col" { "Status" } th scope="col" { "Ends" } } }
            tbody {
                @for o in &found.records {
                    tr {
                        td { a href=(order_href(&session, reseller, o.id)) { (o.id.0) } }
                        td { (o.product.name()) }
                        td { (o.description) }
                        td { (o.customer_id.0) }
                        td { (o.status.as_str()) }
                        td { (format_utc(o.endtime)) }
                    }
                }
            }
        }
    };
    page(&session, "Orders", reseller, body)
}

pub(super) fn order_href(session: &Session, reseller: ResellerId, id: OrderId) -> String {
    match session.who {
        Who::Admin => format!("/console/orders/{}?reseller={}", id.0, reseller.0),
        Who::Reseller(_) => format!("/console/orders/{}", id.0),
    }
}

pub(super) async fn order(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    let who = session.who;
    let found = state
        .store
        .read(move |tx| {
            let Some(order) = tx.order(OrderId(id))? else {
                return Ok(None);
            };
            if let Who::Reseller(own) = who
                && own != order.reseller_id
            {
                return Ok(None);
            }
            let actions = tx.search_actions(&ActionQuery {
                reseller_id: order.reseller_id,
                action_ids: Vec::new(),
                order_ids: vec![order.id],
                customer_ids: Vec::new(),
                statuses: Vec::new(),
                kinds: Vec::new(),
                page: Page {
                    records: 500,
                    number: 1,
                },
            })?;
            let mut invoices = Vec::new();
            for record in &actions.records {
                if let Some(invoice) = record.action.invoice_id
                    && let Some(invoice) = tx.invoice(invoice)?
                {
                    invoices.push(invoice);
                }
            }
            Ok(Some((order, actions.records, invoices)))
        })
        .await;
    let Some((order, actions, invoices)) = (match found {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    }) else {
        return refusal(
            StatusCode::NOT_FOUND,
            "No such order among the ones you may see.",
        );
    };
    let reseller = match session.who {
        Who::Admin => order.reseller_id,
        Who::Reseller(id) => id,
    };
    let body = html! {
        dl {
            dt { "Product" } dd { (order.product.name()) }
            dt { "Name" } dd { (order.description) }
            dt { "Customer" } dd { (order.customer_id.0) }
            dt { "Status" } dd #status { (order.status.as_str()) }
            dt { "Created" } dd { (format_utc(order.created)) }
            dt { "Ends" } dd #endtime { (format_utc(order.endtime)) }
            dt { "Auto-renew" } dd { @if order.auto_renew { "on" } @else { "off" } }
        }
        table {
            caption { "Actions, newest first" }
            thead { tr { th scope="col" { "Action" } th scope="col" { "Type" } th scope="col" { "Status" } th scope="col" { "Description" } th scope="col" { "Invoice" } th scope="col" { "When" } } }
            tbody {
                @for r in &actions {
                    tr.action {
                        td { (r.action.id.0) }
                        td { (r.action.kind.as_str()) }
                        td { (r.action.status.as_str()) }
                        td { (r.action.description) }
                        td { @if let Some(InvoiceId(invoice)) = r.action.invoice_id { (invoice) } }
                        td { (format_utc(r.action.created)) }
                    }
                }
            }
        }
        @if let Some(zone) = order.attrs.domain.as_ref().and_then(|d| d.dns.as_ref()) {
            table #zone {
                caption { "DNS zone (serial " (zone.serial) ")" }
                thead { tr { th scope="col" { "Type" } th scope="col" { "Host" } th scope="col" { "Value" } th scope="col" { "TTL" } th scope="col" { "Priority" } } }
                tbody {
                    @for r in &zone.records {
                        tr.record {
                            td { (r.kind.name()) }
                            td { (reseller_core::dns::shown_host(&r.host)) }
                            td { (r.value) }
                            td.num { (r.ttl) }
                            td.num { @if let Some(p) = r.priority { (p) } }
                        }
                    }
                }
            }
        }
        @if let Some(mail) = order.attrs.mail.as_ref().filter(|m| !m.accounts.is_empty()) {
            table #mailboxes {
                caption { "Mail accounts (" (mail.mailboxes()) " of " (order.units()) " mailboxes)" }
                thead { tr { th scope="col" { "Address" } th scope="col" { "Type" } th scope="col" { "Status" } th scope="col" { "Name" } th scope="col" { "Forwards" } } }
                tbody {
                    @for a in &mail.accounts {
                        tr.mailbox {
                            td { (a.email) }
                            td { @if a.forward_only { "forward-only" } @else { "mailbox" } }
                            td { @if a.suspended { "Suspended" } @else { "Active" } }
                            td { (a.first_name) " " (a.last_name) }
                            td { (a.user_forwards.join(", ")) }
                        }
                    }
                }
            }
        }
        @if let Some(certificate) = order.attrs.ssl.as_ref() {
            table #certificate {
                caption { "Certificate" }
                tbody {
                    tr { th scope="row" { "Status" } td { (certificate.state.as_str()) } }
                    tr { th scope="row" { "Names" } td { (certificate.names.join(", ")) } }
                    tr { th scope="row" { "Validation" } td { (certificate.method.as_str()) } }
                    @if let Some(serial) = &certificate.serial {
                        tr { th scope="row" { "Serial" } td { (serial) } }
                    }
                    @if let Some(issued) = certificate.issued {
                        tr { th scope="row" { "Issued" } td { (format_utc(issued)) } }
                    }
                    tr { th scope="row" { "Revoked before" } td.num { (certificate.revoked.len()) } }
                }
            }
        }
        table {
            caption { "Invoices" }
            thead { tr { th scope="col" { "Invoice" } th scope="col" { "Amount (USD)" } th scope="col" { "Status" } th scope="col" { "Description" } } }
            tbody {
                @for i in &invoices {
                    tr { td { (i.id.0) } td.num { (i.amount) } td { (i.status.as_str()) } td { (i.description) } }
                }
            }
        }
    };
    page(&session, &format!("Order {}", order.id.0), reseller, body)
}

pub(super) async fn ledger(
    State(state): State<AppState>,
    session: Session,
    Query(asked): Query<Asked>,
) -> Response {
    let reseller = session.reseller(asked.reseller);
    let found = state
        .store
        .read(move |tx| {
            let account = Account::Reseller(reseller);
            let funds = tx.balance(account)?;
            let page = Page {
                records: 200,
                number: 1,
            };
            let moves = tx.search_transfers(&TransferQuery::of(account, page))?;
            Ok((funds, moves))
        })
        .await;
    let (funds, moves) = match found {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    };
    let key = Account::Reseller(reseller).key();
    let body = html! {
        p { "Funds: " strong #funds { (funds) " USD" } }
        table {
            caption { "Movements of the reseller's funds, newest first" }
            thead { tr { th scope="col" { "When" } th scope="col" { "In / out" } th scope="col" { "Amount (USD)" } th scope="col" { "What" } } }
            tbody {
                @for t in &moves.records {
                    tr {
                        td { (format_utc(t.at)) }
                        td { @if t.to == key { "in" } @else { "out" } }
                        td.num { (t.amount) }
                        td { (t.memo) }
                    }
                }
            }
        }
    };
    page(&session, "Ledger", reseller, body)
}

pub(super) async fn outbox(
    State(state): State<AppState>,
    session: Session,
    Query(asked): Query<Asked>,
) -> Response {
    let reseller = session.reseller(asked.reseller);
    let mails = match state.store.read(move |tx| Ok(tx.outbox(None, 1000)?)).await {
        Ok(mails) => mails,
        Err(error) => return store_failure(error),
    };
    let mails: Vec<_> = mails
        .into_iter()
        .filter(|m| m.reseller_id == reseller)
        .take(100)
        .collect();
    let body = html! {
        p { "The mails the platform sent for this reseller, newest first (at most 100). Their links work when clicked." }
        @for m in &mails {
            article.mail {
                h2 { (m.subject) }
                p.meta { (m.kind) " · to " (m.recipient) " · " (format_utc(m.created)) }
                pre { (m.body) }
                @let links = control::links_of(&m.body);
                @if !links.is_empty() {
                    ul.links { @for l in links { li { a href=(l) { (l) } } } }
                }
            }
        }
        @if mails.is_empty() { p { "No mail yet." } }
    };
    page(&session, "Outbox", reseller, body)
}

/// The sub-resellers of the reseller shown, with their funds, and a form
/// for each that issues it a fresh API key.
pub(super) async fn resellers(
    State(state): State<AppState>,
    session: Session,
    Query(asked): Query<Asked>,
) -> Response {
    let reseller = session.reseller(asked.reseller);
    sub_resellers_page(&state, &session, reseller, None).await
}

async fn sub_resellers_page(
    state: &AppState,
    session: &Session,
    reseller: ResellerId,
    issued: Option<(ResellerId, String)>,
) -> Response {
    let listed = state
        .store
        .read(move |tx| {
            let mut rows = Vec::new();
            for sub in tx.sub_resellers(reseller)? {
                let funds = tx.balance(Account::Reseller(sub.id))?;
                rows.push((sub, funds));
            }
            Ok(rows)
        })
        .await;
    let rows = match listed {
        Ok(rows) => rows,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        @if let Some((id, key)) = &issued {
            div role="status" {
                p { "A new API key for reseller " (id.0) ". It is shown once; the one before it no longer works." }
                p { code #issued-key { (key) } }
            }
        }
        p { (rows.len()) " sub-resellers, signed up with " code { "resellers/signup" } "." }
        table {
            caption { "Sub-resellers of reseller " (reseller.0) }
            thead { tr { th scope="col" { "Id" } th scope="col" { "Username" } th scope="col" { "Name" } th scope="col" { "Status" } th scope="col" { "Funds (USD)" } th scope="col" { "API key" } th scope="col" { "Account" } } }
            tbody {
                @for (sub, funds) in &rows {
                    tr {
                        td { (sub.id.0) }
                        td { (sub.username) }
                        td.name { (sub.name) }
                        td { (reseller_core::resellers::status(sub)) }
                        td.num { (funds) }
                        td {
                            form method="post" action="/console/resellers/api-key" .inline {
                                (form_fields(session, reseller))
                                input type="hidden" name="sub-reseller" value=(sub.id.0);
                                button type="submit" { "New API key" }
                            }
                        }
                        td {
                            form method="post" action="/console/resellers/status" .inline {
                                (form_fields(session, reseller))
                                input type="hidden" name="sub-reseller" value=(sub.id.0);
                                @if sub.active {
                                    input type="hidden" name="active" value="false";
                                    button type="submit" { "Suspend" }
                                } @else {
                                    input type="hidden" name="active" value="true";
                                    button type="submit" { "Reactivate" }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(session, "Sub-resellers", reseller, body)
}

/// The shown reseller and the sub-reseller a form names, if it is one of
/// the shown reseller's.
async fn named_sub_reseller(
    state: &AppState,
    session: &Session,
    form: &std::collections::HashMap<String, String>,
) -> Result<(ResellerId, ResellerId), Response> {
    let reseller = session.reseller(form.get("reseller").and_then(|r| r.parse().ok()));
    let Some(sub) = form
        .get("sub-reseller")
        .and_then(|r| r.parse().ok())
        .map(ResellerId)
    else {
        return Err(refusal(
            StatusCode::BAD_REQUEST,
            "Name the sub-reseller by its id.",
        ));
    };
    let mine = state
        .store
        .read(move |tx| reseller_core::resellers::sub_reseller_of(tx, reseller, sub))
        .await;
    match mine {
        Ok(_) => Ok((reseller, sub)),
        Err(reseller_core::Error::Rule(_)) => Err(refusal(
            StatusCode::FORBIDDEN,
            "That reseller is not a sub-reseller of this account.",
        )),
        Err(error) => Err(store_failure(error)),
    }
}

/// Issues a fresh API key to one of the shown reseller's sub-resellers.
pub(super) async fn issue_key(State(state): State<AppState>, posted: Posted) -> Response {
    let Posted { session, form } = posted;
    let (reseller, sub) = match named_sub_reseller(&state, &session, &form).await {
        Ok(named) => named,
        Err(refused) => return refused,
    };
    match control::replace_api_key(&state, sub).await {
        Ok(key) => sub_resellers_page(&state, &session, reseller, Some((sub, key))).await,
        Err(error) => store_failure(error),
    }
}

/// Suspends or reactivates one of the shown reseller's sub-resellers: a
/// suspended one's key signs nothing in, on every instance within the
/// credentials' two seconds.
pub(super) async fn set_status(State(state): State<AppState>, posted: Posted) -> Response {
    let Posted { session, form } = posted;
    let (reseller, sub) = match named_sub_reseller(&state, &session, &form).await {
        Ok(named) => named,
        Err(refused) => return refused,
    };
    let active = match form.get("active").map(String::as_str) {
        Some("true") => true,
        Some("false") => false,
        _ => return refusal(StatusCode::BAD_REQUEST, "active must be true or false."),
    };
    let changed = state
        .store
        .write(move |tx| reseller_core::resellers::set_active(tx, reseller, sub, active))
        .await;
    match changed {
        Ok(_) => {
            state.keys.forget(sub);
            sub_resellers_page(&state, &session, reseller, None).await
        }
        Err(error) => store_failure(error),
    }
}
